using System.Net.Http.Json;
using AwaitHuman.Portal.Tests.Admin;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Account;

/// <summary>
/// Single sign-on in Chromium against an OpenIddict provider on loopback: the owner sets it up on its
/// page, a person of the domain types their email on the sign-in page and lands in the console as a
/// new member with the default role; a password is refused where SSO is required.
/// </summary>
public sealed class SingleSignOnTests(PortalTestsHost host, Chromium chromium) : IAsyncLifetime
{
    readonly AwaitHumanApp _app = host.App;
    OpenIdProvider _provider = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _provider = await OpenIdProvider.StartAsync();

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task A_person_of_the_domain_signs_in_through_the_provider_and_lands_in_the_console_as_a_new_member()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        (await owner.PutAsJsonAsync("/v1/sso", _provider.Settings([$"{tenant.Slug}.test"], defaultRole: "supervisor"), Ct)).EnsureSuccessStatusCode();
        var email = $"nia-{Guid.NewGuid():N}"[..12] + $"@{tenant.Slug}.test";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_person_of_the_domain_signs_in_through_the_provider_and_lands_in_the_console_as_a_new_member), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync("/account/login");
            await page.GetByLabel("Work email or company slug").FillAsync("someone@nobody-uses-sso.test");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue with single sign-on" }).ClickAsync();
            await Expect(page.GetByText("No company signs in with single sign-on for nobody-uses-sso.test")).ToBeVisibleAsync();
            await AdminLayout.KeepAtBothWidthsAsync(page, "sso-sign-in-unknown-domain");

            await page.GetByLabel("Work email or company slug").FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue with single sign-on" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Screenshots.KeepAsync(page, "sso-signed-in");
        });

        var members = await owner.GetStringAsync("/v1/members", Ct);
        members.ShouldContain(email);
        var person = (await _app.FindPersonAsync(email)).ShouldNotBeNull();
        person.PasswordHash.ShouldBeNull("a person made by single sign-on has no password");
        members.ShouldContain($"\"{person.Id}\"");
        System.Text.Json.JsonDocument.Parse(members).RootElement.ToString().ShouldContain("supervisor");
    }

    [Fact]
    public async Task The_owner_sets_it_up_on_its_page_and_then_only_the_break_glass_owner_uses_a_password()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_owner_sets_it_up_on_its_page_and_then_only_the_break_glass_owner_uses_a_password), async browser =>
        {
            var page = await browser.NewPageAsync();
            await ConsolePages.SignInAsync(page, tenant.OwnerEmail, tenant.OwnerPassword);
            await ConsolePages.GoToAsync(page, "/admin/members");
            await page.GetByRole(AriaRole.Link, new() { Name = "Single sign-on" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Single sign-on", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByLabel("Redirect URI")).ToHaveTextAsync($"{_app.Address.ToString().TrimEnd('/')}/account/sso/{tenant.Slug}/callback");

            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.Locator("#sso-issuer-error")).ToContainTextAsync("The issuer is required");
            await Expect(page.Locator("#sso-client-id-error")).ToContainTextAsync("client id is required");
            await Expect(page.Locator("#sso-client-secret-error")).ToContainTextAsync("client secret is required");
            await Expect(page.Locator("#sso-domains-error")).ToContainTextAsync("At least one email domain");

            await page.GetByLabel("Issuer URL").FillAsync(_provider.Address.ToString());
            await page.GetByLabel("Client id").FillAsync(_provider.ClientId);
            await page.GetByLabel("Client secret").FillAsync(_provider.ClientSecret);
            await page.GetByLabel("Email domains").FillAsync($"{tenant.Slug}.test");
            await page.GetByLabel("Role of new people").SelectOptionAsync("operator");
            await page.GetByLabel("Require single sign-on").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.Locator("#sso-break-glass-error")).ToContainTextAsync("Name an owner");
            await AdminLayout.KeepAtBothWidthsAsync(page, "sso-page-refused");

            await page.GetByLabel("Break-glass owner's email").FillAsync(tenant.OwnerEmail);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.GetByText("Single sign-on saved.")).ToBeVisibleAsync();
            (await page.ContentAsync()).ShouldNotContain(_provider.ClientSecret);
            await page.ReloadAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByLabel("Email domains")).ToHaveValueAsync($"{tenant.Slug}.test");
            await Expect(page.GetByLabel("Client secret")).ToHaveValueAsync("");
            (await page.ContentAsync()).ShouldNotContain(_provider.ClientSecret);
            await AdminLayout.KeepAtBothWidthsAsync(page, "sso-page");

            // The admin's password no longer opens the console; the sign-in page says what to do instead.
            var adminPage = await browser.NewPageAsync();
            await adminPage.GotoAsync("/account/login");
            await ConsolePages.FillSignInAsync(adminPage, admin.Email, admin.Password);
            await Expect(adminPage.GetByText("signs in with single sign-on")).ToBeVisibleAsync();

            // An admin is not an owner: the page is refused.
            var adminByToken = await browser.NewPageAsync();
            await adminByToken.GotoAsync("/account/login");
            await adminByToken.GetByLabel("Work email or company slug").FillAsync(admin.Email);
            await adminByToken.GetByRole(AriaRole.Button, new() { Name = "Continue with single sign-on" }).ClickAsync();
            await Expect(adminByToken.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await adminByToken.GotoAsync("/admin/sso");
            await Expect(adminByToken.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        });
    }
}
