using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The members page's role changes and removals: up to the actor's own role, never the last owner, what they held back to the queue.</summary>
public sealed class MemberChangesPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_owner_changes_a_role_and_removes_a_member_whose_escalation_goes_back_to_the_queue()
    {
        var tenant = await _app.NewTenantAsync();
        var promoted = await _app.NewMemberAsync(tenant, "operator");
        var leaving = await _app.NewMemberAsync(tenant, "operator");
        var held = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Rita"));
        await _app.ClaimAsync(leaving, held);
        var other = await _app.NewTenantAsync();
        var stranger = await _app.NewMemberAsync(other, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_owner_changes_a_role_and_removes_a_member_whose_escalation_goes_back_to_the_queue), async browser =>
        {
            var page = await browser.NewPageAsync();
            await ConsolePages.SignInAsync(page, tenant.OwnerEmail, tenant.OwnerPassword);
            await page.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 1 })).ToBeVisibleAsync();
            var members = page.GetByRole(AriaRole.Table, new() { Name = "Members" });
            await Expect(members.GetByText(stranger.Email)).ToHaveCountAsync(0);
            await Expect(page.GetByLabel($"Role of {promoted.Email}").Locator("option")).ToHaveTextAsync(["operator", "supervisor", "admin", "owner"]);

            await page.GetByLabel($"Role of {promoted.Email}").SelectOptionAsync("supervisor");
            await Expect(page.Locator("#member-notice")).ToHaveTextAsync($"{promoted.Email} is now supervisor.");
            await Expect(page.GetByLabel($"Role of {promoted.Email}")).ToHaveValueAsync("supervisor");

            await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {leaving.Email}" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("go back to their teams' queues");
            await Screenshots.KeepAsync(page, "members-remove-confirm");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
            await Expect(page.Locator("#member-notice")).ToContainTextAsync($"{leaving.Email} was removed");
            await Expect(members.GetByText(leaving.Email)).ToHaveCountAsync(0);

            await AdminLayout.KeepAtBothWidthsAsync(page, "members-changed");
        });

        using var promotedToken = _app.CreateHttpClient(promoted.Token);
        (await (await promotedToken.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("role").GetString().ShouldBe("supervisor");
        await Eventually.HappensAsync(async () => (await _app.AgentViewAsync(tenant, held)).GetProperty("status").GetString() == "waiting_for_human",
            TimeSpan.FromSeconds(20), "the removed member's escalation back in the queue");
    }

    [Fact]
    public async Task The_last_owner_s_demotion_is_refused_under_the_role_and_an_admin_cannot_touch_an_owner()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_last_owner_s_demotion_is_refused_under_the_role_and_an_admin_cannot_touch_an_owner), async browser =>
        {
            var owner = await browser.NewPageAsync();
            await ConsolePages.SignInAsync(owner, tenant.OwnerEmail, tenant.OwnerPassword);
            await ConsolePages.GoToAsync(owner, "/admin/members");
            var ownRole = owner.GetByLabel($"Role of {tenant.OwnerEmail}");
            await ownRole.SelectOptionAsync("admin");
            await Expect(owner.GetByText("The tenant's last owner cannot be demoted; make someone else owner first.")).ToBeVisibleAsync();
            await Expect(ownRole).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(ownRole).ToHaveValueAsync("owner");
            await Screenshots.KeepAsync(owner, "members-last-owner-refused");

            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/members");
            await Expect(page.GetByLabel($"Role of {admin.Email}").Locator("option")).ToHaveTextAsync(["operator", "supervisor", "admin"]);
            await Expect(page.GetByLabel($"Role of {tenant.OwnerEmail}")).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Remove {tenant.OwnerEmail}" })).ToHaveCountAsync(0);
        });

        using var ownerClient = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        (await (await ownerClient.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("role").GetString().ShouldBe("owner");
    }
}
