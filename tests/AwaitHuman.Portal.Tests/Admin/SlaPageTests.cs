using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The SLA page: policies with their targets and ladder created, edited and deleted; a policy a rule applies is kept with a clear message.</summary>
public sealed class SlaPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<JsonElement[]> PoliciesAsync(TestMember admin)
    {
        using var client = _app.CreateHttpClient(admin.Token);
        return [.. (await (await client.GetAsync("/v1/sla-policies?limit=100", Ct)).JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    async Task PublishAsync(TestMember admin, object rules)
    {
        using var client = _app.CreateHttpClient(admin.Token);
        (await client.PutAsJsonAsync("/v1/routing-rules", rules, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_admin_creates_edits_and_deletes_a_policy_with_its_ladder()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        string overflow;
        using (var client = _app.CreateHttpClient(admin.Token))
        {
            using var created = await client.PostAsJsonAsync("/v1/teams", new { name = "Overflow" }, Ct);
            overflow = (await created.JsonAsync()).GetProperty("id").GetString()!;
        }
        var other = await _app.NewTenantAsync();
        using (var theirs = _app.CreateHttpClient((await _app.NewMemberAsync(other, "admin")).Token))
            (await theirs.PostAsJsonAsync("/v1/sla-policies", new { name = "Their secret policy", first_response_seconds = 60 }, Ct)).EnsureSuccessStatusCode();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_creates_edits_and_deletes_a_policy_with_its_ladder), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "SLA policies", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "SLA policies", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByText("Their secret policy")).ToHaveCountAsync(0);

            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Gold");
            await page.GetByLabel("First response (seconds)").FillAsync("300");
            await page.GetByLabel("Resolution (seconds, optional)").FillAsync("7200");
            await page.GetByLabel("Count only the routed team's business hours").CheckAsync();
            foreach (var (after, action) in new[] { ("120", "notify_supervisors"), ("240", "widen"), ("600", "time_out") })
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();
                var n = await page.Locator(".step").CountAsync();
                await page.GetByLabel($"Step {n} after seconds").FillAsync(after);
                await page.GetByLabel($"Step {n} action").SelectOptionAsync(action);
            }
            await page.GetByLabel("Step 2 team").SelectOptionAsync(new SelectOptionValue { Label = "Overflow" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Create policy" }).ClickAsync();
            await Expect(page.Locator("#sla-notice")).ToHaveTextAsync("Gold created. Apply it in a routing rule.");
            var row = page.GetByRole(AriaRole.Table, new() { Name = "SLA policies" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Gold" });
            await Expect(row).ToContainTextAsync("5 min (business hours)");
            await Expect(row).ToContainTextAsync("2 h");
            await Expect(row).ToContainTextAsync("notify the supervisors after 2 min, then widen to another team Overflow after 4 min, then time out (last step) after 10 min");

            await page.GetByLabel("First response (seconds)").FillAsync("600");
            await page.GetByRole(AriaRole.Button, new() { Name = "Remove step 1" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
            await Expect(page.Locator("#sla-notice")).ToHaveTextAsync("Gold saved.");
            await Expect(row).ToContainTextAsync("10 min (business hours)");
            await AdminLayout.KeepAtBothWidthsAsync(page, "sla");

            var gold = (await PoliciesAsync(admin)).ShouldHaveSingleItem();
            gold.GetProperty("first_response_seconds").GetInt32().ShouldBe(600);
            gold.GetProperty("resolution_seconds").GetInt32().ShouldBe(7200);
            gold.GetProperty("business_hours_only").GetBoolean().ShouldBeTrue();
            gold.GetProperty("steps").EnumerateArray().Select(s => $"{s.GetProperty("after_seconds").GetInt32()} {s.GetProperty("action").GetString()}").ShouldBe(["240 widen", "600 time_out"]);
            gold.GetProperty("steps")[0].GetProperty("team").GetString().ShouldBe(overflow);

            // A policy a rule applies stays, and the page says why.
            await PublishAsync(admin, new { rules = Array.Empty<object>(), @default = new { apply_sla_policy = gold.GetProperty("id").GetString() } });
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Gold" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete policy" }).ClickAsync();
            await Expect(page.Locator("#sla-problem")).ToHaveTextAsync("A routing rule applies this policy; change the rules first.");
            (await PoliciesAsync(admin)).ShouldHaveSingleItem();

            await PublishAsync(admin, new { rules = Array.Empty<object>() });
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Gold" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete policy" }).ClickAsync();
            await Expect(page.Locator("#sla-notice")).ToHaveTextAsync("Gold deleted.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "SLA policies" })).ToHaveCountAsync(0);
        });

        (await PoliciesAsync(admin)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_input_is_named_under_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_input_is_named_under_each_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/sla");

            await page.GetByLabel("First response (seconds)").FillAsync("5");
            await page.GetByLabel("Resolution (seconds, optional)").FillAsync("3");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();
            await page.GetByLabel("Step 1 after seconds").FillAsync("100");
            await page.GetByLabel("Step 1 action").SelectOptionAsync("time_out");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();
            await page.GetByLabel("Step 2 after seconds").FillAsync("50");
            await page.GetByLabel("Step 2 action").SelectOptionAsync("widen");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create policy" }).ClickAsync();

            await Expect(page.Locator("#sla-problem")).ToHaveTextAsync("Nothing was saved: correct the fields marked below.");
            await Expect(page.Locator("#error-name")).ToHaveTextAsync("The name is required.");
            await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator("#error-first-response-seconds")).ToContainTextAsync("The first-response target is 10 to");
            await Expect(page.Locator("#error-resolution-seconds")).ToContainTextAsync("The resolution target is 10 to");
            await Expect(page.Locator("#error-steps-0--action")).ToHaveTextAsync("time_out ends the ladder: it is the last step.");
            await Expect(page.Locator("#error-steps-1--after-seconds")).ToHaveTextAsync("Steps are in time order.");
            await Expect(page.Locator("#error-steps-1--team")).ToHaveTextAsync("Widen to which team?");
            await AdminLayout.KeepAtBothWidthsAsync(page, "sla-refused");
        });

        (await PoliciesAsync(admin)).ShouldBeEmpty();
    }
}
