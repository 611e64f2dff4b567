using AwaitHuman.Connectors.WebChat.Tests.Widget;
using AwaitHuman.Testing;
using Microsoft.Playwright;

namespace AwaitHuman.Server.Tests.Channels.WebChat;

/// <summary>The whole loop in real Chromium: a shop's page embeds the widget, the customer writes, an operator answers.</summary>
public class WebChatInBrowserTests(ServerTestsHost host, Chromium chromium) : IClassFixture<Chromium>
{
    readonly AwaitHumanApp _app = host.App;

    static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 10_000 };

    [Fact]
    public async Task The_customer_types_and_sends_on_the_shops_page_and_the_operators_reply_appears()
    {
        WebChatScenario? chat = null;
        await using var shop = await HostPage.StartAsync(() =>
            $"""<script src="{_app.Address}connectors/webchat/widget.js" data-connection="{chat!.ConnectionId}" data-token="{chat.Token}" data-open="true"></script>""");
        chat = await WebChatScenario.StartAsync(_app, allowedOrigins: shop.Origin);

        await chromium.OnPageAsync(nameof(The_customer_types_and_sends_on_the_shops_page_and_the_operators_reply_appears), async page =>
        {
            await page.GotoAsync(shop.Address.ToString());
            var log = page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
            await Assertions.Expect(log.GetByText("I see two charges. Let me get a colleague.")).ToBeVisibleAsync(Soon);

            await page.GetByRole(AriaRole.Textbox, new() { Name = "Your message" }).FillAsync("Please refund the second charge.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

            await Eventually.HappensAsync(async () => (await chat.CustomerLinesAsync()).Contains("Please refund the second charge."),
                TimeSpan.FromSeconds(10), "the customer's message on the escalation");
            await chat.ReplyAsync("Done: 49.90 EUR are on their way back.");

            await Assertions.Expect(log.GetByText("Done: 49.90 EUR are on their way back.")).ToBeVisibleAsync(Soon);
            await Assertions.Expect(log.GetByText("Please refund the second charge.")).ToHaveCountAsync(1);
        });
    }
}
