using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Server.Tests.OAuth;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Accounts;

/// <summary>The tenant switch, sign-out and password reset as a browser meets them (and the switch as the API).</summary>
public sealed partial class AccountPagesTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Posts a form the way the page at <paramref name="pagePath"/> would, with its antiforgery token.</summary>
    async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string pagePath, string action, Dictionary<string, string> fields)
    {
        var page = await browser.GetStringAsync(pagePath, Ct);
        var token = AntiforgeryField().Match(page);
        token.Success.ShouldBeTrue($"{pagePath} carries an antiforgery token");
        fields[token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields), Ct);
    }

    async Task<string> TenantOfSessionAsync(HttpClient browser)
    {
        using var me = JsonDocument.Parse(await browser.GetStringAsync("/v1/me", Ct));
        return me.RootElement.GetProperty("tenant").GetString()!;
    }

    async Task<(TestTenantAccount First, TestTenantAccount Second, HttpClient Browser)> PersonInTwoTenantsAsync()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var email = $"consultant-{Guid.NewGuid():N}@example.test";
        await _app.NewMemberAsync(first, "supervisor", email);
        await _app.NewMemberAsync(second, "operator", email);
        var browser = _app.AnonymousBrowser();
        using var signedIn = await browser.PostAsJsonAsync("/v1/auth/login", new { email, password = TestTenants.Password, tenant = first.Slug }, Ct);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (first, second, browser);
    }

    [Fact]
    public async Task Switching_to_the_persons_other_tenant_moves_the_session_there()
    {
        var (first, second, browser) = await PersonInTwoTenantsAsync();
        using var _ = browser;

        using var switched = await browser.PostAsJsonAsync("/v1/auth/switch-tenant", new { tenant = second.Slug }, Ct);

        var body = await switched.JsonAsync();
        switched.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("tenant").GetString().ShouldBe(second.Slug);
        body.GetProperty("role").GetString().ShouldBe("operator");
        body.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ShouldBe([first.Slug, second.Slug], ignoreOrder: true);
        (await TenantOfSessionAsync(browser)).ShouldBe(second.Slug);
    }

    [Fact]
    public async Task Switching_to_a_tenant_the_person_is_not_in_is_refused_and_keeps_the_session_where_it_was()
    {
        var (first, second, browser) = await PersonInTwoTenantsAsync();
        using var _ = browser;
        var stranger = await _app.NewTenantAsync();

        using var refused = await browser.PostAsJsonAsync("/v1/auth/switch-tenant", new { tenant = stranger.Slug }, Ct);

        var problem = await refused.ShouldBeInvalidAsync("tenant");
        problem.ToString().ShouldContain(first.Slug);
        problem.ToString().ShouldContain(second.Slug);
        problem.ToString().ShouldNotContain(stranger.Slug);
        (await TenantOfSessionAsync(browser)).ShouldBe(first.Slug);
    }

    [Fact]
    public async Task A_token_cannot_switch_tenants()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var client = _app.CreateHttpClient(member.Token);

        using var refused = await client.PostAsJsonAsync("/v1/auth/switch-tenant", new { tenant = tenant.Slug }, Ct);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_switch_form_moves_the_session_and_returns_to_a_local_page_only()
    {
        var (_, second, browser) = await PersonInTwoTenantsAsync();
        using var _ = browser;

        using var switched = await PostFormAsync(browser, "/account/login", "/account/switch-tenant",
            new() { ["tenant"] = second.Slug, ["return_url"] = "https://evil.example/" });

        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        switched.Headers.Location!.OriginalString.ShouldBe("/");
        (await TenantOfSessionAsync(browser)).ShouldBe(second.Slug);

        using var withoutToken = await browser.PostAsync("/account/switch-tenant",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["tenant"] = second.Slug }), Ct);
        withoutToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_sign_out_form_ends_the_session_and_goes_to_the_sign_in_page()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = await _app.SignedInBrowserAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var signedOut = await PostFormAsync(browser, "/account/login", "/account/logout", []);

        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.OriginalString.ShouldBe("/account/login");
        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_reset_pages_mail_a_code_and_set_the_new_password()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.AnonymousBrowser();
        const string newPassword = "a brand new passphrase for the pages";

        using var requested = await PostFormAsync(browser, "/account/forgot-password", "/account/forgot-password", new() { ["email"] = tenant.OwnerEmail });
        requested.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await requested.Content.ReadAsStringAsync(Ct)).ShouldContain("we mailed it a code");
        var mail = await _app.LatestSandboxEmailAsync(tenant.OwnerEmail, "reset_password");
        mail.ShouldNotBeNull();

        var resetPage = $"/account/reset-password?email={Uri.EscapeDataString(tenant.OwnerEmail)}&code={Uri.EscapeDataString(mail.Code!)}";
        (await browser.GetStringAsync(resetPage, Ct)).ShouldContain(WebUtility.HtmlEncode(mail.Code!));
        using var wrong = await PostFormAsync(browser, resetPage, "/account/reset-password",
            new() { ["email"] = tenant.OwnerEmail, ["code"] = "not-the-code", ["new_password"] = newPassword });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync(Ct)).ShouldContain("role=\"alert\"");

        using var reset = await PostFormAsync(browser, resetPage, "/account/reset-password",
            new() { ["email"] = tenant.OwnerEmail, ["code"] = mail.Code!, ["new_password"] = newPassword });

        reset.StatusCode.ShouldBe(HttpStatusCode.OK, await reset.Content.ReadAsStringAsync(Ct));
        (await reset.Content.ReadAsStringAsync(Ct)).ShouldContain("Your new password is set.");
        using var client = await _app.SignedInClientAsync(tenant.OwnerEmail, newPassword);
        using var oldPassword = await _app.CreateHttpClient().PostAsJsonAsync("/v1/auth/login", new { email = tenant.OwnerEmail, password = tenant.OwnerPassword }, Ct);
        oldPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
