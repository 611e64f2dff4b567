using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The routing page: rules built with the condition builder, reordered, tried in a dry run, published, listed by version with what changed, rolled back.</summary>
public sealed class RoutingPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<string> CreateAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PostAsJsonAsync(path, body, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    async Task<JsonElement> RulesAsync(TestMember admin)
    {
        using var client = _app.CreateHttpClient(admin.Token);
        return await (await client.GetAsync("/v1/routing-rules", Ct)).JsonAsync();
    }

    /// <summary>Another tenant with a team, a policy and rules of its own, none of which may show.</summary>
    async Task OtherTenantWithRulesAsync()
    {
        var other = await _app.NewTenantAsync();
        using var theirs = _app.CreateHttpClient((await _app.NewMemberAsync(other, "admin")).Token);
        var team = await CreateAsync(theirs, "/v1/teams", new { name = "Their secret team" });
        var policy = await CreateAsync(theirs, "/v1/sla-policies", new { name = "Their secret policy", first_response_seconds = 60 });
        (await theirs.PutAsJsonAsync("/v1/routing-rules", new
        {
            rules = new[] { new { name = "Their secret rule", when = Array.Empty<object>(), then = new { route_to_team = team, apply_sla_policy = policy } } },
        }, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_admin_builds_rules_tries_them_publishes_and_rolls_back()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using (var client = _app.CreateHttpClient(admin.Token))
        {
            await CreateAsync(client, "/v1/teams", new { name = "Billing" });
            await CreateAsync(client, "/v1/sla-policies", new { name = "Gold", first_response_seconds = 300 });
        }
        await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Lena"));
        await OtherTenantWithRulesAsync();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_builds_rules_tries_them_publishes_and_rolls_back), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Routing rules", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing rules", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);

            await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
            await page.GetByLabel("Rule 1 name").FillAsync("Refunds");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a condition to rule 1" }).ClickAsync();
            await page.GetByLabel("Rule 1 condition 1 field").SelectOptionAsync("reason");
            await page.GetByLabel("Rule 1 condition 1 operator").SelectOptionAsync("equals");
            await page.GetByLabel("Rule 1 condition 1 value").FillAsync("refund_dispute");
            await page.GetByLabel("Rule 1 team").SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
            await page.GetByLabel("Rule 1 priority").SelectOptionAsync("high");
            await page.GetByLabel("Rule 1 SLA policy").SelectOptionAsync(new SelectOptionValue { Label = "Gold" });
            await page.GetByLabel("Rule 1 acknowledges the customer").CheckAsync();
            await page.GetByLabel("Rule 1 acknowledgement message").FillAsync("Thanks, a person answers by {reply_by}.");
            // Another tenant's team and policy are not among the choices.
            await Expect(page.Locator("option", new() { HasText = "Their secret" })).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
            await page.GetByLabel("Rule 2 name").FillAsync("VIP");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a condition to rule 2" }).ClickAsync();
            await page.GetByLabel("Rule 2 condition 1 field").SelectOptionAsync("customer.email");
            await page.GetByLabel("Rule 2 condition 1 operator").SelectOptionAsync("contains");
            await page.GetByLabel("Rule 2 condition 1 value").FillAsync("@vip.example");
            await page.GetByLabel("Rule 2 priority").SelectOptionAsync("urgent");

            // Reordering works from the keyboard: focus the button, press Enter.
            await page.GetByRole(AriaRole.Button, new() { Name = "Move rule 2 up" }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#routing-notice")).ToHaveTextAsync("Rule 2 moved to position 1.");
            await Expect(page.GetByLabel("Rule 1 name")).ToHaveValueAsync("VIP");
            await Expect(page.GetByLabel("Rule 2 name")).ToHaveValueAsync("Refunds");

            // The dry run tries the unpublished draft on a sample.
            await page.GetByLabel("Reason").FillAsync("refund_dispute");
            await page.GetByRole(AriaRole.Button, new() { Name = "Try the rules" }).ClickAsync();
            var result = page.GetByRole(AriaRole.Status, new() { Name = "Dry run result" });
            await Expect(result).ToContainTextAsync("Rule 2 \"Refunds\" matches");
            await Expect(result).ToContainTextAsync("to team Billing, priority high, SLA Gold, acknowledge");
            var trace = result.GetByRole(AriaRole.List, new() { Name = "Rule by rule" });
            await Expect(trace.GetByRole(AriaRole.Listitem).Nth(0)).ToContainTextAsync("Rule 1 \"VIP\": does not match — customer.email=");
            await Expect(trace.GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("Rule 2 \"Refunds\": matches — reason=refund_dispute");

            // And on a recent escalation of this tenant.
            await page.GetByLabel("A recent escalation").CheckAsync();
            var recent = page.GetByLabel("Recent escalation", new() { Exact = true });
            await Expect(recent.Locator("option", new() { HasText = "Lena" })).ToHaveCountAsync(1);
            await recent.SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Try the rules" }).ClickAsync();
            await Expect(result).ToContainTextAsync("Rule 2 \"Refunds\" matches");
            await AdminLayout.KeepAtBothWidthsAsync(page, "routing-draft");

            await page.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
            await Expect(page.Locator("#routing-notice")).ToHaveTextAsync("Version 1 published.");
            var versions = page.GetByRole(AriaRole.Table, new() { Name = "Versions" });
            var first = versions.GetByRole(AriaRole.Row).Filter(new() { HasText = "1 (current)" });
            await Expect(first).ToContainTextAsync("Added rule 1 \"VIP\": when customer.email contains \"@vip.example\": priority urgent.");
            await Expect(first).ToContainTextAsync("Added rule 2 \"Refunds\": when reason equals \"refund_dispute\": to team Billing, priority high, SLA Gold");

            await page.GetByRole(AriaRole.Button, new() { Name = "Remove rule 1", Exact = true }).ClickAsync();
            await page.GetByLabel("Rule 1 priority").SelectOptionAsync("low");
            await page.GetByRole(AriaRole.Button, new() { Name = "Publish version 2" }).ClickAsync();
            await Expect(page.Locator("#routing-notice")).ToHaveTextAsync("Version 2 published.");
            var second = versions.GetByRole(AriaRole.Row).Filter(new() { HasText = "2 (current)" });
            await Expect(second).ToContainTextAsync("Removed rule 1 \"VIP\"");
            await Expect(second).ToContainTextAsync("Changed rule 1 \"Refunds\"");
            await Expect(second).ToContainTextAsync("priority low");

            await versions.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("This publishes version 3 with the rules of version 1.");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
            await Expect(page.Locator("#routing-notice")).ToHaveTextAsync("Version 3 published: the rules of version 1.");
            var third = versions.GetByRole(AriaRole.Row).Filter(new() { HasText = "3 (current)" });
            await Expect(third).ToContainTextAsync("Restored version 1.");
            await Expect(third).ToContainTextAsync("Added rule 1 \"VIP\"");
            await Expect(page.GetByLabel("Rule 1 name")).ToHaveValueAsync("VIP");
            await Expect(page.GetByText("Their secret")).ToHaveCountAsync(0);
            await AdminLayout.KeepAtBothWidthsAsync(page, "routing-versions");
        });

        var rules = await RulesAsync(admin);
        rules.GetProperty("version").GetInt32().ShouldBe(3);
        rules.GetProperty("restored_from").GetInt32().ShouldBe(1);
        rules.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldBe(["VIP", "Refunds"]);
        var refunds = rules.GetProperty("rules")[1];
        refunds.GetProperty("then").GetProperty("set_priority").GetString().ShouldBe("high");
        refunds.GetProperty("then").GetProperty("acknowledge").GetProperty("message").GetString().ShouldBe("Thanks, a person answers by {reply_by}.");
    }

    [Fact]
    public async Task Bad_rules_are_named_under_each_field_and_nothing_is_published()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_rules_are_named_under_each_field_and_nothing_is_published), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/routing");

            await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
            for (var i = 0; i < 4; i++) await page.GetByRole(AriaRole.Button, new() { Name = "Add a condition to rule 1" }).ClickAsync();
            await page.GetByLabel("Rule 1 condition 1 field").SelectOptionAsync("confidence");
            await page.GetByLabel("Rule 1 condition 1 operator").SelectOptionAsync("gt");
            await page.GetByLabel("Rule 1 condition 1 value").FillAsync("high");
            await page.GetByLabel("Rule 1 condition 2 field").SelectOptionAsync("customer.email");
            await page.GetByLabel("Rule 1 condition 2 operator").SelectOptionAsync("regex");
            await page.GetByLabel("Rule 1 condition 2 value").FillAsync("([a-z");
            await page.GetByLabel("Rule 1 condition 3 field").SelectOptionAsync("metadata");
            await page.GetByLabel("Rule 1 condition 4 field").SelectOptionAsync("confidence");
            await page.GetByLabel("Rule 1 condition 4 operator").SelectOptionAsync("between");
            await page.GetByLabel("Rule 1 condition 4 min").FillAsync("0.9");
            await page.GetByLabel("Rule 1 condition 4 max").FillAsync("0.1");
            await page.GetByLabel("Default acknowledges the customer").CheckAsync();
            await page.GetByLabel("Default acknowledgement message").FillAsync(new string('x', 1_001));

            await page.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
            await Expect(page.Locator("#routing-problem")).ToHaveTextAsync("Nothing was published: correct the fields marked below.");
            await Expect(page.Locator("#error-rules-0--then")).ToContainTextAsync("Give at least one action");
            await Expect(page.Locator("#error-rules-0--when-0--value")).ToHaveTextAsync("The value is a number.");
            await Expect(page.GetByLabel("Rule 1 condition 1 value")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator("#error-rules-0--when-1--value")).ToContainTextAsync("Invalid regular expression");
            await Expect(page.Locator("#error-rules-0--when-2--field")).ToContainTextAsync("Unknown field 'metadata.'");
            await Expect(page.Locator("#error-rules-0--when-3--min")).ToHaveTextAsync("min is at most max.");
            await Expect(page.Locator("#error-default-acknowledge-message")).ToHaveTextAsync("The message is 1 to 1,000 characters.");

            // The dry run judges the draft and the sample the same way.
            await page.GetByLabel("Reason").FillAsync("");
            await page.GetByLabel("Confidence", new() { Exact = true }).FillAsync("very");
            await page.GetByRole(AriaRole.Button, new() { Name = "Try the rules" }).ClickAsync();
            await Expect(page.Locator("#error-escalation-confidence")).ToContainTextAsync("The confidence is a number");
            await page.GetByLabel("Confidence", new() { Exact = true }).FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Try the rules" }).ClickAsync();
            await Expect(page.Locator("#dry-run-problem")).ToHaveTextAsync("The dry run needs the fields marked corrected first.");
            await Expect(page.Locator("#error-escalation-reason")).ToBeVisibleAsync();
            await Expect(page.Locator("#error-rules-0--when-0--value")).ToHaveTextAsync("The value is a number.");
            await AdminLayout.KeepAtBothWidthsAsync(page, "routing-refused");
        });

        (await RulesAsync(admin)).GetProperty("version").GetInt32().ShouldBe(0);
    }

    [Theory]
    [InlineData("supervisor")]
    [InlineData("operator")]
    public async Task Supervisors_and_operators_are_refused_the_routing_and_sla_pages(string role)
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, role);

        await ConsoleBrowser.RunAsync(chromium, _app, $"{nameof(Supervisors_and_operators_are_refused_the_routing_and_sla_pages)}_{role}", async browser =>
        {
            var page = await browser.SignInAsync(member);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Routing rules", Exact = true })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "SLA policies", Exact = true })).ToHaveCountAsync(0);
            foreach (var (path, heading) in new[] { ("/admin/routing", "Routing rules"), ("/admin/sla", "SLA policies") })
            {
                await page.GotoAsync(path);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToHaveCountAsync(0);
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add rule" })).ToHaveCountAsync(0);
            }
        });
    }
}
