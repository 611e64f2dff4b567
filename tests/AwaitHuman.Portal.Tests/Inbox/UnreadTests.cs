using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>Rows with something the operator has not seen yet are marked unread.</summary>
public sealed class UnreadTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public Task A_new_escalation_is_unread_until_opened_and_unread_again_when_the_customer_writes() =>
        UnreadUntilOpenedAsync(nameof(A_new_escalation_is_unread_until_opened_and_unread_again_when_the_customer_writes), agentClockAhead: TimeSpan.Zero);

    [Fact]
    public Task An_escalation_from_an_agent_whose_clock_runs_ahead_is_read_once_opened() =>
        UnreadUntilOpenedAsync(nameof(An_escalation_from_an_agent_whose_clock_runs_ahead_is_read_once_opened), agentClockAhead: TimeSpan.FromMinutes(40));

    /// <summary>The transcript's times are the agent's: <paramref name="agentClockAhead"/> in the future of the server's clock.</summary>
    async Task UnreadUntilOpenedAsync(string test, TimeSpan agentClockAhead)
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var customer = ConsoleScenarios.CustomerName("Uma");
        var id = await tenant.OpenAsync(customer, request =>
        {
            var agentNow = DateTimeOffset.UtcNow + agentClockAhead;
            request["transcript"]![0]!["at"] = agentNow.AddSeconds(-10).ToString("O");
            request["transcript"]![1]!["at"] = agentNow.ToString("O");
        });

        await ConsoleBrowser.RunAsync(chromium, _app, test, async browser =>
        {
            var page = await browser.SignInAsync(me);
            await page.ShowViewAsync("Unassigned");
            var marker = page.Row(id).Locator("td").First;
            await Expect(marker).ToHaveTextAsync("Unread");
            await Expect(page.Row(id)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunread\b"));
            if (agentClockAhead == TimeSpan.Zero) await Screenshots.KeepAsync(page, "inbox-unread");

            await page.Row(id).GetByRole(AriaRole.Link, new() { Name = customer }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = customer, Level = 1 })).ToBeVisibleAsync();
            await page.GoBackAsync();
            await Expect(page.ViewButton("Unassigned")).ToHaveAttributeAsync("aria-current", "page");
            await Expect(page.Row(id)).ToBeVisibleAsync();
            await Expect(marker).ToHaveTextAsync("");
            await Expect(page.Row(id)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunread\b"));

            await tenant.CustomerWritesAsync(id, "Hello? Is anyone there?");
            await Expect(marker).ToHaveTextAsync("Unread");
        });
    }
}
