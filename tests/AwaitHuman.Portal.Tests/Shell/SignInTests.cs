using System.Text.RegularExpressions;
using AwaitHuman.Portal.Tests.Inbox;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Shell;

/// <summary>Getting into the console: the sign-in page, its refusals, and moving between one's tenants.</summary>
public sealed class SignInTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    Task InBrowserAsync(string test, Func<ConsoleBrowser, Task> body) => ConsoleBrowser.RunAsync(chromium, _app, test, body);

    [Fact]
    public async Task An_operator_signs_in_and_lands_in_the_inbox()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        await InBrowserAsync(nameof(An_operator_signs_in_and_lands_in_the_inbox), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await Screenshots.KeepAsync(page, "sign-in");

            await ConsolePages.FillSignInAsync(page, member.Email, member.Password);

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            var views = page.GetByRole(AriaRole.Navigation, new() { Name = "Views" });
            foreach (var view in new[] { "Mine", "Unassigned", "Waiting on customer", "Resolved" })
                await Expect(page.ViewButton(view)).ToBeVisibleAsync();
            await Expect(views.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^All \d+ escalations$") })).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "inbox-empty");
        });
    }

    [Fact]
    public async Task A_wrong_password_shows_the_reason_and_keeps_the_address()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        await InBrowserAsync(nameof(A_wrong_password_shows_the_reason_and_keeps_the_address), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync("/account/login");

            await ConsolePages.FillSignInAsync(page, member.Email, "not the password at all");

            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email address or password is wrong.");
            await Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync(member.Email);
            await Screenshots.KeepAsync(page, "sign-in-refused");

            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 10_000 });
        });
    }

    [Fact]
    public async Task The_tenant_switcher_moves_a_person_of_two_tenants_to_the_other_tenants_inbox()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(first, "operator");
        await _app.NewMemberAsync(second, "operator", member.Email);
        var inFirst = ConsoleScenarios.CustomerName("Ada");
        var inSecond = ConsoleScenarios.CustomerName("Bob");
        await _app.OpenEscalationAsync(first, inFirst);
        await _app.OpenEscalationAsync(second, inSecond);

        await InBrowserAsync(nameof(The_tenant_switcher_moves_a_person_of_two_tenants_to_the_other_tenants_inbox), async browser =>
        {
            var page = await browser.SignInAsync(member, tenant: first.Slug);
            var escalations = page.GetByRole(AriaRole.Table, new() { Name = "Escalations" });
            await ConsolePages.GoToAsync(page, "/?view=unassigned");
            await Expect(escalations.GetByRole(AriaRole.Link, new() { Name = inFirst })).ToBeVisibleAsync();
            await Expect(page.GetByText(inSecond)).ToHaveCountAsync(0);

            var switcher = page.GetByRole(AriaRole.Combobox, new() { Name = "Tenant" });
            await Expect(switcher).ToHaveValueAsync(first.Slug);
            await switcher.SelectOptionAsync(new SelectOptionValue { Value = second.Slug });
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Tenant" })).ToHaveValueAsync(second.Slug);
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }).ClickAsync();
            await Expect(escalations.GetByRole(AriaRole.Link, new() { Name = inSecond })).ToBeVisibleAsync();
            await Expect(page.GetByText(inFirst)).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "inbox-after-tenant-switch");
        });
    }
}
