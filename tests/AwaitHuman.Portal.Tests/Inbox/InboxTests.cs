using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

public sealed class InboxTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task An_escalation_the_agent_opens_appears_in_the_open_inbox_without_reload()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var customer = ConsoleScenarios.CustomerName("Grace");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_escalation_the_agent_opens_appears_in_the_open_inbox_without_reload), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?view=unassigned$"));
            var loads = 0;
            page.Load += (_, _) => loads++;

            var id = await _app.OpenEscalationAsync(tenant, customer);

            var row = page.GetByRole(AriaRole.Table, new() { Name = "Escalations" }).Locator($"tr[data-escalation='{id}']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.GetByRole(AriaRole.Link, new() { Name = customer })).ToBeVisibleAsync();
            await Expect(row).ToContainTextAsync("refund_dispute");
            loads.ShouldBe(0, "the row arrived over the live connection, not by reloading the page");
            await Screenshots.KeepAsync(page, "inbox");

            await row.GetByRole(AriaRole.Link, new() { Name = customer }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/escalations/{id}$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = customer, Level = 1 })).ToBeVisibleAsync();
        });
    }
}
