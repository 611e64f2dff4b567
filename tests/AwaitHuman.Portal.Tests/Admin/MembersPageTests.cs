using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The members page: invitations by email with a role, resent and revoked; seats in use; nothing of another tenant.</summary>
public sealed class MembersPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task An_admin_invites_resends_and_revokes_and_sees_the_seats_in_use()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var other = await _app.NewTenantAsync();
        var othersInvitee = $"others-{Guid.NewGuid():N}@example.test";
        using (var othersAdmin = _app.CreateHttpClient(other.ApiKey))
            (await othersAdmin.PostAsJsonAsync("/v1/members", new { email = othersInvitee, role = "operator" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var email = $"sam-{Guid.NewGuid():N}@example.test";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_invites_resends_and_revokes_and_sees_the_seats_in_use), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/members");
            await Expect(page.GetByLabel("Seats")).ToHaveTextAsync("2 of 25 seats (Free) in use · 0 invitations pending");
            await Expect(page.GetByLabel("Role", new() { Exact = true }).Locator("option")).ToHaveTextAsync(["operator", "supervisor", "admin"]);

            await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
            await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("supervisor");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();

            await Expect(page.Locator("#invite-notice")).ToHaveTextAsync($"Invitation sent to {email}.");
            var pending = page.GetByRole(AriaRole.Table, new() { Name = "Pending invitations" });
            await Expect(pending.GetByRole(AriaRole.Row).Filter(new() { HasText = email })).ToContainTextAsync("supervisor");
            await Expect(page.GetByLabel("Seats")).ToHaveTextAsync("2 of 25 seats (Free) in use · 1 invitation pending");
            await Expect(page.GetByText(othersInvitee)).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "members-invited");
            var firstToken = await _app.InvitationTokenAsync(email);

            await page.GetByRole(AriaRole.Button, new() { Name = $"Resend the invitation to {email}" }).ClickAsync();
            await Expect(page.Locator("#invite-notice")).ToContainTextAsync($"Invitation sent again to {email}");
            (await _app.InvitationTokenAsync(email)).ShouldNotBe(firstToken);

            await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke the invitation to {email}" }).ClickAsync();
            await Expect(page.Locator("#invite-notice")).ToHaveTextAsync($"Invitation to {email} revoked.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Pending invitations" })).ToHaveCountAsync(0);
            await Expect(page.GetByLabel("Seats")).ToHaveTextAsync("2 of 25 seats (Free) in use · 0 invitations pending");

            await page.SetViewportSizeAsync(390, 844);
            await Screenshots.KeepAsync(page, "members-390");
        });
    }

    [Fact]
    public async Task A_bad_address_or_an_existing_member_is_named_under_the_field_and_nobody_is_invited()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var colleague = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_bad_address_or_an_existing_member_is_named_under_the_field_and_nobody_is_invited), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/members");

            await page.GetByLabel("Email", new() { Exact = true }).FillAsync("not an address");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
            await Expect(page.Locator("#invite-email-error")).ToHaveTextAsync("This is not an email address.");
            await Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

            await page.GetByLabel("Email", new() { Exact = true }).FillAsync(colleague.Email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
            await Expect(page.Locator("#invite-email-error")).ToHaveTextAsync($"{colleague.Email} is already a member.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Pending invitations" })).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "members-refused");
        });
        (await _app.LatestSandboxEmailAsync(colleague.Email, "invitation")).ShouldBeNull();
    }
}
