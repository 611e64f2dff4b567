using System.Net.Http.Json;
using AwaitHuman.Server.Tests.Routing;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>Giving an escalation away (transfer, release), taking it back after it ended (reopen), and why it came here.</summary>
public sealed class OwnershipAndRoutingTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task Transferring_to_a_team_moves_it_there_and_the_history_says_who_moved_it()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var team = $"Disputes {Guid.NewGuid():N}"[..18];
        await CreateTeamAsync(tenant, team);
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Yara"));
        await _app.ClaimAsync(member, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Transferring_to_a_team_moves_it_there_and_the_history_says_who_moved_it), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true }).ClickAsync();
            var transfer = page.GetByRole(AriaRole.Group, new() { Name = "Transfer" });
            await transfer.GetByRole(AriaRole.Combobox, new() { Name = "To team" }).SelectOptionAsync(new SelectOptionValue { Label = team });
            await Screenshots.KeepAsync(page, "escalation-transfer");
            await transfer.GetByRole(AriaRole.Button, new() { Name = "Transfer now" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("Nobody owns it yet");
            var routing = page.GetByRole(AriaRole.Region, new() { Name = "Routing and SLA" });
            await Expect(routing).ToContainTextAsync(team);
            await Expect(routing.GetByRole(AriaRole.Listitem).First).ToContainTextAsync($"transferred by {member.Email} to {team}");
        });
    }

    [Fact]
    public async Task Transferring_to_a_person_makes_them_the_owner()
    {
        var tenant = await _app.NewTenantAsync();
        var ann = await _app.NewMemberAsync(tenant, "operator");
        var ben = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Zeno"));
        await _app.ClaimAsync(ann, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Transferring_to_a_person_makes_them_the_owner), async browser =>
        {
            var page = await browser.SignInAsync(ann);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true }).ClickAsync();
            var transfer = page.GetByRole(AriaRole.Group, new() { Name = "Transfer" });
            await transfer.GetByRole(AriaRole.Combobox, new() { Name = "or to person" }).SelectOptionAsync(new SelectOptionValue { Label = $"{ben.Email} (operator)" });
            await transfer.GetByRole(AriaRole.Textbox, new() { Name = "Note" }).FillAsync("Ben knows this customer");
            await transfer.GetByRole(AriaRole.Button, new() { Name = "Transfer now" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync($"{ben.Email} owns this escalation");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Routing and SLA" }))
                .ToContainTextAsync($"transferred by {ann.Email} to {ben.Email}: Ben knows this customer");
        });
    }

    [Fact]
    public async Task Releasing_leaves_it_to_anyone_and_offers_the_claim_again()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Abel"));
        await _app.ClaimAsync(member, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Releasing_leaves_it_to_anyone_and_offers_the_claim_again), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("You own this escalation");
            await page.GetByRole(AriaRole.Button, new() { Name = "Release", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("Nobody owns it yet");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Release", Exact = true })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Reopening_a_resolved_escalation_brings_back_the_reply_and_resolve_panels()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Bea"));
        using (var human = _app.CreateHttpClient(member.Token))
        {
            await human.ActOkAsync(id, "claim");
            await human.ActOkAsync(id, "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded." } });
        }

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Reopening_a_resolved_escalation_brings_back_the_reply_and_resolve_panels), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("the agent has it back");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).Not.ToContainTextAsync("the agent has it back");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Reply to the customer" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Resolve and hand back" })).ToBeVisibleAsync();
        });
        (await _app.AgentViewAsync(tenant, id)).GetProperty("status").GetString().ShouldNotBe("resolved");
    }

    [Fact]
    public async Task The_routing_history_shows_the_rule_that_sent_it_to_the_team_and_why()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "routed");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_routing_history_shows_the_rule_that_sent_it_to_the_team_and_why), async browser =>
        {
            var page = await browser.SignInAsync(routed.Operators[0]);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var routing = page.GetByRole(AriaRole.Region, new() { Name = "Routing and SLA" });
            await Expect(routing).ToContainTextAsync("Billing");
            await Expect(routing.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "routed" }).First)
                .ToContainTextAsync("routed by rule 1 (refunds) v1: reason=refund_dispute");
            await Screenshots.KeepAsync(page, "escalation-routing-history");
        });
    }

    async Task CreateTeamAsync(TestTenantAccount tenant, string name)
    {
        using var admin = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);
        using var response = await admin.PostAsJsonAsync("/v1/teams", new { name }, TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
