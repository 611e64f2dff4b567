using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Account;

/// <summary>The page an invitation mail links to: someone new joins with a name and password; someone with an account signs in first.</summary>
public sealed class InvitationAcceptTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> InviteAsync(TestTenantAccount tenant, string email, string role)
    {
        using var admin = _app.CreateHttpClient(tenant.ApiKey);
        (await admin.PostAsJsonAsync("/v1/members", new { email, role }, Ct)).EnsureSuccessStatusCode();
        var mail = (await _app.LatestSandboxEmailAsync(email, "invitation")).ShouldNotBeNull();
        var link = Regex.Match(mail.Text, @"https?://\S+").Value;
        link.ShouldStartWith(_app.Address.ToString());
        return new Uri(link).PathAndQuery;
    }

    [Fact]
    public async Task Someone_new_joins_from_the_mailed_link_with_a_name_and_password()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var othersCustomer = ConsoleScenarios.CustomerName("Other");
        await _app.OpenEscalationAsync(other, othersCustomer);
        var email = $"new-{Guid.NewGuid():N}@example.test";
        var link = await InviteAsync(tenant, email, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Someone_new_joins_from_the_mailed_link_with_a_name_and_password), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(link);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Join Company {tenant.Slug}", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByText($"invited {email} to join Company {tenant.Slug} as operator")).ToBeVisibleAsync();

            await page.GetByLabel("Your name").FillAsync("Nora New");
            await page.GetByLabel("Choose a password").FillAsync("short");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Join Company {tenant.Slug}" }).ClickAsync();
            await Expect(page.Locator("#password-error")).ToContainTextAsync("at least 12 characters");
            await Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Nora New");
            await Screenshots.KeepAsync(page, "invitation-refused");
            (await _app.FindPersonAsync(email)).ShouldBeNull();

            await page.GetByLabel("Choose a password").FillAsync(TestTenants.Password);
            await Screenshots.KeepAsync(page, "invitation-new-person");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Join Company {tenant.Slug}" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }).ClickAsync();
            await Expect(page.GetByText(othersCustomer)).ToHaveCountAsync(0);

            // The link is spent.
            await page.GotoAsync(link);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This invitation cannot be used", Level = 1 })).ToBeVisibleAsync();
        });
        (await _app.FindPersonAsync(email)).ShouldNotBeNull().DisplayName.ShouldBe("Nora New");
    }

    [Fact]
    public async Task Someone_with_an_account_signs_in_as_themselves_then_accepts()
    {
        var theirs = await _app.NewTenantAsync();
        var person = await _app.NewMemberAsync(theirs, "operator");
        var tenant = await _app.NewTenantAsync();
        var link = await InviteAsync(tenant, person.Email, "supervisor");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Someone_with_an_account_signs_in_as_themselves_then_accepts), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(link);
            await Expect(page.GetByLabel("Choose a password")).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "invitation-existing-account");
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in to accept" }).ClickAsync();
            await ConsolePages.FillSignInAsync(page, person.Email, person.Password);

            await page.GetByRole(AriaRole.Button, new() { Name = "Accept and open the console" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Tenant" })).ToHaveValueAsync(tenant.Slug);
        });
    }

    [Fact]
    public async Task A_revoked_invitation_says_it_cannot_be_used_and_signs_nobody_in()
    {
        var tenant = await _app.NewTenantAsync();
        var email = $"new-{Guid.NewGuid():N}@example.test";
        var link = await InviteAsync(tenant, email, "operator");
        using (var admin = _app.CreateHttpClient(tenant.ApiKey))
        {
            var id = (await admin.ListAllAsync("/v1/invitations"))[0].GetProperty("id").GetString();
            (await admin.DeleteAsync($"/v1/invitations/{id}", Ct)).EnsureSuccessStatusCode();
        }

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_revoked_invitation_says_it_cannot_be_used_and_signs_nobody_in), async browser =>
        {
            var page = await browser.NewPageAsync();
            var response = await page.GotoAsync(link);
            response!.Status.ShouldBe(404);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This invitation cannot be used", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("revoked");
            await Expect(page.GetByLabel("Choose a password")).ToHaveCountAsync(0);
        });
        (await _app.FindPersonAsync(email)).ShouldBeNull();
    }
}
