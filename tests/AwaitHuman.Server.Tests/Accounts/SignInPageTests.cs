using System.Net;
using System.Text.RegularExpressions;
using AwaitHuman.Server.Tests.OAuth;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Accounts;

/// <summary>The sign-in page as a browser meets it: sent there by an app's authorize request, and back again.</summary>
public sealed partial class SignInPageTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [Fact]
    public async Task A_signed_out_person_signs_in_on_the_page_and_the_app_gets_its_code()
    {
        var tenant = await _app.NewTenantAsync();
        var client = await _app.NewPublicClientAsync(tenant.ApiKey, "escalations:read");
        using var browser = _app.AnonymousBrowser();
        var pkce = Pkce.New();

        using var toLogin = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(client, "escalations:read", pkce), Ct);
        toLogin.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        toLogin.Headers.Location!.AbsolutePath.ShouldBe("/account/login");
        var returnUrl = OAuthScenarios.QueryOf(toLogin.Headers.Location)["ReturnUrl"];

        using var page = await browser.GetAsync(toLogin.Headers.Location, Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("<label for=\"password\">Password</label>");
        html.ShouldContain(WebUtility.HtmlEncode(returnUrl).Replace("&#x2F;", "/"), Case.Insensitive);

        using var signedIn = await SubmitAsync(browser, html, tenant.OwnerEmail, tenant.OwnerPassword, returnUrl);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe(returnUrl);

        using var authorized = await browser.GetAsync(returnUrl, Ct);
        var redirect = OAuthScenarios.RedirectParameters(authorized);
        redirect["state"].ShouldBe("xyz");
        var token = await _app.RequestTokenAsync(("grant_type", "authorization_code"), ("client_id", client.ClientId), ("code", redirect["code"]),
            ("redirect_uri", OAuthScenarios.RedirectUri), ("code_verifier", pkce.Verifier));
        (await _app.MeAsync(token.AccessToken!)).GetProperty("role").GetString().ShouldBe("owner");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_page_again_with_the_reason()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.AnonymousBrowser();
        var html = await browser.GetStringAsync("/account/login", Ct);

        using var refused = await SubmitAsync(browser, html, tenant.OwnerEmail, "not the password", "/");

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var again = await refused.Content.ReadAsStringAsync(Ct);
        again.ShouldContain("role=\"alert\"");
        again.ShouldContain("The email address or password is wrong.");
        again.ShouldContain(tenant.OwnerEmail, customMessage: "the address is kept");
    }

    [Fact]
    public async Task Another_sites_address_is_never_where_the_page_sends_the_person()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.AnonymousBrowser();
        var html = await browser.GetStringAsync("/account/login", Ct);

        using var signedIn = await SubmitAsync(browser, html, tenant.OwnerEmail, tenant.OwnerPassword, "//evil.example/steal");

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.AnonymousBrowser();

        using var refused = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = tenant.OwnerEmail,
            ["password"] = tenant.OwnerPassword,
        }), Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "no session was started");
    }

    static Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string page, string email, string password, string returnUrl)
    {
        var field = AntiforgeryField().Match(page);
        field.Success.ShouldBeTrue("the form carries an antiforgery token");
        return browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups["name"].Value] = WebUtility.HtmlDecode(field.Groups["value"].Value),
            ["return_url"] = returnUrl,
            ["email"] = email,
            ["password"] = password,
        }), Ct);
    }
}
