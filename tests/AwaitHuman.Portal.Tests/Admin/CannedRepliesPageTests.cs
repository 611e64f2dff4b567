using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The canned replies page: create with a live preview, edit, delete; field problems; supervisors' teams; the composer inserting a managed reply.</summary>
public sealed class CannedRepliesPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<JsonElement[]> RepliesAsync(TestTenantAccount tenant)
    {
        using var client = _app.CreateHttpClient(tenant.ApiKey);
        return [.. (await (await client.GetAsync("/v1/canned-replies?limit=100", Ct)).JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    async Task<Guid> TeamAsync(TestMember admin, string name, params TestMember[] members)
    {
        using var client = _app.CreateHttpClient(admin.Token);
        using var created = await client.PostAsJsonAsync("/v1/teams", new { name, members = members.Select(m => new { person_id = m.PersonId }).ToArray() }, Ct);
        created.EnsureSuccessStatusCode();
        return (await created.JsonAsync()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task An_admin_writes_a_reply_with_its_preview_edits_and_deletes_it_and_the_composer_fills_it_in()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var other = await _app.NewTenantAsync();
        using (var stranger = _app.CreateHttpClient(other.ApiKey))
            (await stranger.PostAsJsonAsync("/v1/canned-replies", new { title = "Their secret reply", shortcut = "secret", text = "Not yours." }, Ct)).EnsureSuccessStatusCode();
        var customer = ConsoleScenarios.CustomerName("Greta");
        var escalation = await _app.OpenEscalationAsync(tenant, customer);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_writes_a_reply_with_its_preview_edits_and_deletes_it_and_the_composer_fills_it_in), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Canned replies", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Canned replies", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByText("Their secret reply")).ToHaveCountAsync(0);

            await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Refund sent");
            await page.GetByLabel("Shortcut", new() { Exact = true }).FillAsync("refund-sent");
            await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Hi {customer.name}, your refund is on its way. {operator.name}");
            await Expect(page.Locator("#reply-preview")).ToHaveTextAsync("Hi Ada Lovelace, your refund is on its way. Sam Rivera");
            await AdminLayout.KeepAtBothWidthsAsync(page, "canned-replies-new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create canned reply" }).ClickAsync();
            await Expect(page.Locator("#replies-notice")).ToHaveTextAsync("Refund sent created.");
            var table = page.GetByRole(AriaRole.Table, new() { Name = "Canned replies" });
            await Expect(table).ToContainTextAsync("/refund-sent");
            await Expect(table).ToContainTextAsync("Every operator");

            await page.GetByRole(AriaRole.Button, new() { Name = "Edit Refund sent" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit Refund sent" })).ToBeVisibleAsync();
            await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Refund on its way");
            await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Hello {customer.name}, the refund is on its way ({escalation.reference}).");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await Expect(page.Locator("#replies-notice")).ToHaveTextAsync("Refund on its way saved.");
            await AdminLayout.KeepAtBothWidthsAsync(page, "canned-replies");

            await ConsolePages.GoToAsync(page, $"/escalations/{escalation}");
            var canned = page.GetByRole(AriaRole.Combobox, new() { Name = "Canned reply" });
            await Expect(canned.Locator("option", new() { HasText = "Their secret reply" })).ToHaveCountAsync(0);
            await canned.SelectOptionAsync(new SelectOptionValue { Label = "Refund on its way (/refund-sent)" });
            await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true })).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^Hello {customer}, the refund is on its way \\(.+\\)\\.$"));

            await ConsolePages.GoToAsync(page, "/admin/canned-replies");
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Refund on its way" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete reply" }).ClickAsync();
            await Expect(page.Locator("#replies-notice")).ToHaveTextAsync("Refund on its way deleted.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Canned replies" })).ToHaveCountAsync(0);
        });

        (await RepliesAsync(tenant)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_input_is_named_under_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using (var owner = _app.CreateHttpClient(tenant.ApiKey))
            (await owner.PostAsJsonAsync("/v1/canned-replies", new { title = "Greeting", shortcut = "hello", text = "Hello!" }, Ct)).EnsureSuccessStatusCode();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_input_is_named_under_each_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/canned-replies");
            var create = page.GetByRole(AriaRole.Button, new() { Name = "Create canned reply" });

            await create.ClickAsync();
            await Expect(page.Locator("#reply-title-error")).ToHaveTextAsync("The title is required.");
            await Expect(page.Locator("#reply-shortcut-error")).ToHaveTextAsync("The shortcut is required.");
            await Expect(page.Locator("#reply-text-error")).ToHaveTextAsync("The text is required.");
            await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

            await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Welcome");
            await page.GetByLabel("Shortcut", new() { Exact = true }).FillAsync("Has Space");
            await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Hi {customer.nmae}");
            await create.ClickAsync();
            await Expect(page.Locator("#reply-title-error")).ToHaveCountAsync(0);
            await Expect(page.Locator("#reply-shortcut-error")).ToContainTextAsync("lowercase letters");
            await Expect(page.Locator("#reply-text-error")).ToContainTextAsync("Unknown variable {customer.nmae}");
            await AdminLayout.KeepAtBothWidthsAsync(page, "canned-replies-invalid");

            await page.GetByLabel("Shortcut", new() { Exact = true }).FillAsync("hello");
            await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Hi {customer.name}");
            await create.ClickAsync();
            await Expect(page.Locator("#reply-shortcut-error")).ToContainTextAsync("The shortcut 'hello' is taken");
            await Expect(page.Locator("#reply-text-error")).ToHaveCountAsync(0);
        });

        (await RepliesAsync(tenant)).Select(r => r.GetProperty("title").GetString()).ShouldBe(["Greeting"]);
    }

    [Fact]
    public async Task A_supervisor_manages_only_their_teams_replies_and_an_operator_is_refused_the_page()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var sam = await _app.NewMemberAsync(tenant, "supervisor");
        var ada = await _app.NewMemberAsync(tenant, "operator");
        await TeamAsync(admin, "Billing", sam);
        var theirs = await TeamAsync(admin, "Legal");
        using (var owner = _app.CreateHttpClient(tenant.ApiKey))
        {
            (await owner.PostAsJsonAsync("/v1/canned-replies", new { title = "For everyone", shortcut = "everyone", text = "Hello!" }, Ct)).EnsureSuccessStatusCode();
            (await owner.PostAsJsonAsync("/v1/canned-replies", new { title = "Legal wording", shortcut = "legal", text = "Per our terms.", team_id = theirs }, Ct)).EnsureSuccessStatusCode();
        }

        var escalation = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Hugo"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_supervisor_manages_only_their_teams_replies_and_an_operator_is_refused_the_page), async browser =>
        {
            var page = await browser.SignInAsync(sam);
            // The composer's "Save as canned reply" brings the text to the page, where the rest is chosen.
            await ConsolePages.GoToAsync(page, $"/escalations/{escalation}");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true }).FillAsync("Hello from billing, {customer.name}.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save as canned reply" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Canned replies", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByLabel("Text", new() { Exact = true })).ToHaveValueAsync("Hello from billing, {customer.name}.");
            await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("Hello from billing, {customer.name}.");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Canned replies", Level = 1 })).ToBeVisibleAsync();
            var table = page.GetByRole(AriaRole.Table, new() { Name = "Canned replies" });
            await Expect(table).ToContainTextAsync("For everyone");
            await Expect(table).Not.ToContainTextAsync("Legal wording");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit For everyone" })).ToHaveCountAsync(0);
            var scopes = page.GetByLabel("Used by").Locator("option");
            await Expect(scopes).ToHaveTextAsync(["Team Billing"]);

            await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Billing hello");
            await page.GetByLabel("Shortcut", new() { Exact = true }).FillAsync("billing-hello");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create canned reply" }).ClickAsync();
            await Expect(page.Locator("#replies-notice")).ToHaveTextAsync("Billing hello created.");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit Billing hello" })).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "canned-replies-supervisor");

            var operatorPage = await browser.SignInAsync(ada);
            await operatorPage.GotoAsync("/admin/canned-replies");
            await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Canned replies" })).ToHaveCountAsync(0);
        });

        var stored = await RepliesAsync(tenant);
        stored.Select(r => r.GetProperty("title").GetString()).ShouldBe(["Billing hello", "For everyone", "Legal wording"]);
    }
}
