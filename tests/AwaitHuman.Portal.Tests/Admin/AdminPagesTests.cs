using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>Admin pages open to admins and are refused, with a page that says so, to operators.</summary>
public sealed class AdminPagesTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task An_operator_opening_an_admin_page_is_refused_with_a_clear_page()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_opening_an_admin_page_is_refused_with_a_clear_page), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Teams", Exact = true })).ToHaveCountAsync(0);

            await page.GotoAsync("/admin/members");

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Members" })).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "admin-refused");

            await page.GotoAsync("/admin/teams");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Teams" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Teams" })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task An_admin_opens_the_members_page()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var colleague = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_opens_the_members_page), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Members" }).GetByText(colleague.Email)).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "admin-members");
        });
    }
}
