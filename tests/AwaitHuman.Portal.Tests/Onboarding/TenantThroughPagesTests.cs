using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Server.Tests.Webhooks;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Onboarding;

/// <summary>
/// An admin configures a whole tenant through the pages alone (a team with hours, an SLA policy, a
/// routing rule, the sandbox channel, an API key and a webhook endpoint); an escalation the agent then
/// opens with that key is routed by that rule and its webhook arrives signed with that endpoint's secret.
/// </summary>
public sealed class TenantThroughPagesTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [Fact]
    public async Task An_admin_sets_up_a_tenant_in_the_pages_and_the_agents_escalation_follows_that_setup()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var agent = new FakeAgent();
        string key = "", secret = "";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_sets_up_a_tenant_in_the_pages_and_the_agents_escalation_follows_that_setup), async browser =>
        {
            var page = await browser.SignInAsync(admin);

            // A team with opening hours.
            await ConsolePages.GoToAsync(page, "/admin/teams");
            await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Billing");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 2 })).ToBeVisibleAsync();
            await page.GetByLabel("Works around the clock").UncheckAsync();
            await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
            foreach (var day in Days)
            {
                var name = char.ToUpperInvariant(day[0]) + day[1..];
                await page.GetByLabel($"Open on {day}").CheckAsync();
                await page.GetByLabel($"{name} opens").FillAsync("00:00");
                await page.GetByLabel($"{name} closes").FillAsync("23:59");
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Teams" })).ToContainTextAsync("Billing");

            // An SLA policy.
            await ConsolePages.GoToAsync(page, "/admin/sla");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Gold");
            await page.GetByLabel("First response (seconds)").FillAsync("300");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create policy" }).ClickAsync();
            await Expect(page.Locator("#sla-notice")).ToHaveTextAsync("Gold created. Apply it in a routing rule.");

            // A routing rule, published.
            await ConsolePages.GoToAsync(page, "/admin/routing");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
            await page.GetByLabel("Rule 1 name").FillAsync("Refunds");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a condition to rule 1" }).ClickAsync();
            await page.GetByLabel("Rule 1 condition 1 field").SelectOptionAsync("reason");
            await page.GetByLabel("Rule 1 condition 1 operator").SelectOptionAsync("equals");
            await page.GetByLabel("Rule 1 condition 1 value").FillAsync("refund_dispute");
            await page.GetByLabel("Rule 1 team").SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
            await page.GetByLabel("Rule 1 priority").SelectOptionAsync("urgent");
            await page.GetByLabel("Rule 1 SLA policy").SelectOptionAsync(new SelectOptionValue { Label = "Gold" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
            await Expect(page.Locator("#routing-notice")).ToHaveTextAsync("Version 1 published.");

            // The sandbox channel a new tenant starts with, kept.
            await ConsolePages.GoToAsync(page, "/admin/channels");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Connections" })).ToContainTextAsync("Sandbox");

            // The agent's API key, shown once.
            await ConsolePages.GoToAsync(page, "/admin/developers");
            await page.Locator("#key-name").FillAsync("Support agent");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Expect(page.Locator("#new-api-key")).ToBeVisibleAsync();
            key = (await page.Locator("#new-api-key").TextContentAsync())!.Trim();

            // The agent's webhook endpoint, its secret shown once.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Webhooks" }).ClickAsync();
            await page.GetByLabel("URL", new() { Exact = true }).FillAsync(agent.Url);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
            await Expect(page.Locator("#endpoint-secret")).ToBeVisibleAsync();
            secret = (await page.Locator("#endpoint-secret").TextContentAsync())!.Trim();
        });

        key.ShouldStartWith("ah_");
        secret.ShouldStartWith("whsec_");

        // The agent escalates with the key made on the page.
        using var withKey = _app.CreateHttpClient(key);
        var request = EscalationScenarios.SampleRequest();
        request["reason"] = "refund_dispute";
        using var opened = await withKey.PostAsJsonAsync("/v1/escalations", request, Ct);
        opened.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await opened.Content.ReadAsStringAsync(Ct));
        var id = (await opened.JsonAsync()).GetProperty("id").GetString()!;

        // Routed by the rule made on the page: its team, its priority, its SLA policy.
        using var asAdmin = _app.CreateHttpClient(admin.Token);
        var details = await (await asAdmin.GetAsync($"/v1/escalations/{id}", Ct)).JsonAsync();
        details.GetProperty("priority").GetString().ShouldBe("urgent");
        var routing = details.GetProperty("routing");
        routing.GetProperty("team_name").GetString().ShouldBe("Billing", routing.ToString());
        routing.GetProperty("decisions").EnumerateArray()
            .First(d => d.GetProperty("what").GetString() == "routed").GetProperty("why").GetString()!.ShouldContain("(refunds) v1");
        routing.GetProperty("sla").GetProperty("policy_name").GetString().ShouldBe("Gold", routing.ToString());

        // Its webhook arrives signed with the secret the page showed.
        var received = await agent.ReceivedAsync(1, TimeSpan.FromSeconds(60));
        var opening = received.First(webhook => webhook.Body.Contains(id));
        opening.IsSignedWith(secret).ShouldBeTrue();
        JsonDocument.Parse(opening.Body).RootElement.GetProperty("type").GetString().ShouldBe("escalation.opened");
    }
}
