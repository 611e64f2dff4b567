using AwaitHuman.Connectors.WebChat.Tests.Api;
using AwaitHuman.Testing;
using Microsoft.Playwright;

namespace AwaitHuman.Connectors.WebChat.Tests.Widget;

/// <summary>The widget in real Chromium on a page of another origin, over the in-memory core.</summary>
public class WidgetInBrowserTests(WebChatApi api, Chromium chromium) : IClassFixture<WebChatApi>, IClassFixture<Chromium>
{
    static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 10_000 };

    [Fact]
    public async Task The_customer_sends_from_the_page_and_the_operators_reply_and_typing_appear_live()
    {
        ChannelConnection? connection = null;
        await using var page = await HostPage.StartAsync(() =>
            $"""<script src="{api.Address}connectors/webchat/widget.js" data-connection="{connection!.Id}" data-token="{WebChatApi.Token(connection)}" data-open="true"></script>""");
        connection = api.Core.AddConnection($"tenant-{Guid.NewGuid():N}", WebChatApi.Secret, allowedOrigins: page.Origin);
        var escalation = api.Core.OpenEscalation(connection.TenantId, "order-1234");
        api.Core.Append(escalation, ConversationParties.Agent, "Let me get a human for you.");

        await chromium.OnPageAsync(nameof(The_customer_sends_from_the_page_and_the_operators_reply_and_typing_appear_live), async browser =>
        {
            await browser.GotoAsync(page.Address.ToString());
            var log = browser.GetByRole(AriaRole.Log, new() { Name = "Messages" });
            await Assertions.Expect(log.GetByText("Let me get a human for you.")).ToBeVisibleAsync(Soon);
            await Assertions.Expect(browser.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are chatting with Olga.");

            await browser.GetByRole(AriaRole.Textbox, new() { Name = "Your message" }).FillAsync("Where is my parcel?");
            await browser.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

            await Eventually(() => api.Core.Received.Any(m => m.EscalationId == escalation));
            var received = api.Core.Received.Single(m => m.EscalationId == escalation);
            received.Text.ShouldBe("Where is my parcel?");
            received.From.ShouldBe("visitor-42");
            await Assertions.Expect(log.GetByText("Where is my parcel?")).ToHaveCountAsync(1);

            api.Core.Signal(escalation, new ConversationSignal.Typing(ConversationParties.Operator, "Olga"));
            await Assertions.Expect(browser.GetByText("Olga is typing…")).ToBeVisibleAsync(Soon);

            var reply = api.Core.Append(escalation, ConversationParties.Operator, "It arrives tomorrow.", DeliveryStates.Sent);
            await Assertions.Expect(log.GetByText("It arrives tomorrow.")).ToBeVisibleAsync(Soon);
            await Eventually(() => api.Core.Reports.Any(r => r.MessageId == reply.Id && r.State == DeliveryStates.Read));

            // The page's own styles (lime buttons) do not reach into the widget's shadow root.
            var background = await browser.GetByRole(AriaRole.Button, new() { Name = "Send" })
                .EvaluateAsync<string>("button => getComputedStyle(button).backgroundColor");
            background.ShouldNotBe("rgb(0, 255, 0)");
        });
    }

    [Fact]
    public async Task When_the_stream_drops_the_widget_reconnects_and_gets_only_what_it_missed()
    {
        ChannelConnection? connection = null;
        await using var page = await HostPage.StartAsync(() =>
            $"""<script src="{api.Address}connectors/webchat/widget.js" data-connection="{connection!.Id}" data-token="{WebChatApi.Token(connection)}" data-open="true"></script>""");
        connection = api.Core.AddConnection($"tenant-{Guid.NewGuid():N}", WebChatApi.Secret, allowedOrigins: page.Origin);
        var escalation = api.Core.OpenEscalation(connection.TenantId, "order-1234");
        api.Core.Append(escalation, ConversationParties.Operator, "Before the drop.");

        await chromium.OnPageAsync(nameof(When_the_stream_drops_the_widget_reconnects_and_gets_only_what_it_missed), async browser =>
        {
            await browser.GotoAsync(page.Address.ToString());
            var log = browser.GetByRole(AriaRole.Log, new() { Name = "Messages" });
            await Assertions.Expect(log.GetByText("Before the drop.")).ToBeVisibleAsync(Soon);
            var opened = api.StreamsOpened.Count;

            api.Core.DropWatchers(escalation);
            // Appended while the widget waits to reconnect (it waits a second), so only a replay brings it.
            await Eventually(() => api.Core.Watchers(escalation) == 0);
            await Task.Delay(100, TestContext.Current.CancellationToken);
            api.Core.Append(escalation, ConversationParties.Operator, "While you were away.");

            await Assertions.Expect(log.GetByText("While you were away.")).ToBeVisibleAsync(Soon);
            await Assertions.Expect(log.Locator("li")).ToHaveCountAsync(2);
            api.StreamsOpened.Skip(opened).ShouldContain("1");
        });
    }

    [Fact]
    public async Task Opened_from_the_JavaScript_API_the_widget_types_for_the_operator()
    {
        ChannelConnection? connection = null;
        await using var page = await HostPage.StartAsync(() => $"""<script src="{api.Address}connectors/webchat/widget.js"></script>""");
        connection = api.Core.AddConnection($"tenant-{Guid.NewGuid():N}", WebChatApi.Secret, allowedOrigins: page.Origin);
        var escalation = api.Core.OpenEscalation(connection.TenantId, "order-1234");

        await chromium.OnPageAsync(nameof(Opened_from_the_JavaScript_API_the_widget_types_for_the_operator), async browser =>
        {
            await browser.GotoAsync(page.Address.ToString());
            await browser.EvaluateAsync("([connection, token]) => AwaitHumanChat.open({ connection, token })",
                new[] { connection.Id.ToString(), WebChatApi.Token(connection) });

            await browser.GetByRole(AriaRole.Textbox, new() { Name = "Your message" }).PressSequentiallyAsync("Hel");

            await Eventually(() => api.Core.Typing.Any(t => t.Escalation == escalation && t.Party == ConversationParties.Customer));
        });
    }

    static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never held.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
