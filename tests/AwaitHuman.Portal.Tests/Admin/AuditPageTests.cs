using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The audit page: filters by actor, action and period, pages, and the CSV download of the filtered view.</summary>
public sealed class AuditPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task KeysAsync(HttpClient client, string prefix, int count, bool revoke)
    {
        for (var i = 1; i <= count; i++)
        {
            using var created = await client.PostAsJsonAsync("/v1/api-keys", new { name = $"{prefix} {i}", scopes = new[] { "escalations:read" } }, Ct);
            created.EnsureSuccessStatusCode();
            if (revoke) (await client.DeleteAsync($"/v1/api-keys/{(await created.JsonAsync()).GetProperty("id").GetString()}", Ct)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task An_admin_filters_by_action_actor_and_period_pages_and_downloads_the_filtered_view()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using (var owner = _app.CreateHttpClient(tenant.ApiKey)) await KeysAsync(owner, "script key", 26, revoke: true);
        using (var asAdmin = _app.CreateHttpClient(admin.Token)) await KeysAsync(asAdmin, "admin's key", 2, revoke: false);
        var other = await _app.NewTenantAsync();
        using (var stranger = _app.CreateHttpClient(other.ApiKey)) await KeysAsync(stranger, "their secret key", 1, revoke: false);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_filters_by_action_actor_and_period_pages_and_downloads_the_filtered_view), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Audit log", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            var table = page.GetByRole(AriaRole.Table, new() { Name = "Audit entries" });
            var rows = table.Locator("tbody tr");

            // 52 key changes, 2 keys of the admin, the admin's joining and the tenant's creation: two pages.
            await Expect(rows).ToHaveCountAsync(50);
            await Expect(page.Locator("#audit-summary")).ToContainTextAsync("Entries 1 to 50, older ones on the next page");
            await Expect(table).Not.ToContainTextAsync("their secret key");
            await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
            await Expect(page.Locator("#audit-summary")).ToContainTextAsync("Entries 51 to");
            await Expect(table).ToContainTextAsync("tenant.created");
            await page.GetByRole(AriaRole.Button, new() { Name = "Newer" }).ClickAsync();
            await Expect(page.Locator("#audit-summary")).ToContainTextAsync("Entries 1 to 50");

            await page.GetByLabel("Action").FillAsync("api_key.created");
            await page.GetByLabel("Actor").FillAsync(admin.Email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(table).ToContainTextAsync("admin's key 2");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Older" })).ToBeDisabledAsync();
            await AdminLayout.KeepAtBothWidthsAsync(page, "audit");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
            download.SuggestedFilename.ShouldStartWith($"audit-{tenant.Slug}-");
            var lines = (await File.ReadAllTextAsync(await download.PathAsync(), Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            lines[0].ShouldEndWith("sequence,at,action,subject,actor_kind,actor_id,actor_name,source_ip");
            lines.Skip(1).ShouldAllBe(line => line.Contains(",api_key.created,") && line.Contains(admin.Email));
            lines.Length.ShouldBe(3);

            var today = DateTime.Now.ToString("yyyy-MM-dd");
            await page.GetByLabel("Actor").FillAsync("");
            await page.GetByLabel("Action").FillAsync("");
            await page.GetByLabel("From").FillAsync(DateTime.Now.AddDays(1).ToString("yyyy-MM-dd"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Expect(page.Locator("#audit-summary")).ToHaveTextAsync("No entries match these filters.");
            await page.GetByLabel("From").FillAsync(today);
            await page.GetByLabel("To (including)").FillAsync(today);
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(50);
        });
    }

    [Fact]
    public async Task Bad_filters_are_named_under_their_fields_and_an_operator_is_refused()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var member = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_filters_are_named_under_their_fields_and_an_operator_is_refused), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/audit");
            var rows = page.GetByRole(AriaRole.Table, new() { Name = "Audit entries" }).Locator("tbody tr");
            await Expect(rows).Not.ToHaveCountAsync(0);
            var before = await rows.CountAsync();

            await page.GetByLabel("Action").FillAsync("Drop table");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Expect(page.Locator("#audit-action-error")).ToContainTextAsync("dotted name");
            await Expect(page.GetByLabel("Action")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(rows).ToHaveCountAsync(before);

            await page.GetByLabel("Action").FillAsync("");
            await page.GetByLabel("From").FillAsync("2026-03-10");
            await page.GetByLabel("To (including)").FillAsync("2026-03-01");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Expect(page.Locator("#audit-to-error")).ToHaveTextAsync("The last day comes on or after the first.");
            await Expect(page.Locator("#audit-action-error")).ToHaveCountAsync(0);
            await AdminLayout.KeepAtBothWidthsAsync(page, "audit-invalid");

            var operatorPage = await browser.SignInAsync(member);
            await Expect(operatorPage.GetByRole(AriaRole.Link, new() { Name = "Audit log", Exact = true })).ToHaveCountAsync(0);
            await operatorPage.GotoAsync("/admin/audit");
            await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(operatorPage.GetByRole(AriaRole.Table, new() { Name = "Audit entries" })).ToHaveCountAsync(0);
        });
    }
}
