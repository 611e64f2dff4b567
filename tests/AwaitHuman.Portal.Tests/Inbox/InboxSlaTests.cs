using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>Open work is listed by its SLA target, nearest first, with the time left counting down.</summary>
public sealed class InboxSlaTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task The_nearest_SLA_target_comes_first_and_its_countdown_ticks()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        // The team's member stays away from the console: signing in would make them available and routing would assign the queue to them.
        var team = await tenant.TeamAsync("Billing", [await tenant.MemberAsync("operator")]);
        var gold = await tenant.SlaPolicyAsync("Gold", firstResponseSeconds: 300);
        var silver = await tenant.SlaPolicyAsync("Silver", firstResponseSeconds: 1800);
        await tenant.RoutesAsync(("silver_issue", team, silver), ("gold_issue", team, gold));
        // Opened in the opposite order of their targets, and one without a target at all.
        var noTarget = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Nell"));
        var later = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Sam"), r => r["reason"] = "silver_issue");
        var sooner = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Gus"), r => r["reason"] = "gold_issue");
        await tenant.WhenAsync(later, "queued");
        await tenant.WhenAsync(sooner, "queued");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_nearest_SLA_target_comes_first_and_its_countdown_ticks), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await page.ShowViewAsync("Unassigned");
            await page.ShowsExactlyAsync(sooner, later, noTarget);

            var countdown = page.Row(sooner).Locator("td").Nth(1);
            await Expect(countdown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*4m \d\ds\s*$"));
            await Expect(page.Row(later).Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*29m \d\ds\s*$"));
            await Expect(page.Row(noTarget).Locator("td").Nth(1)).ToHaveTextAsync("–");
            await Screenshots.KeepAsync(page, "inbox-sla");

            // Without a reload, the time left changes on its own.
            var first = (await countdown.InnerTextAsync()).Trim();
            await Expect(countdown).Not.ToHaveTextAsync(first, new() { Timeout = 3_000 });
        });
    }
}
