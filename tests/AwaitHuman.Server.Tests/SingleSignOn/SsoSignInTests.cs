using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.SingleSignOn;

/// <summary>
/// Signing in through a tenant's identity provider (an OpenIddict server on loopback): the first sign-in
/// makes the person a member with the default role, and every way a provider's answer can be wrong is
/// refused with a sentence on the sign-in page, and nobody is made a member.
/// </summary>
public class SsoSignInTests(ServerTestsHost host) : IAsyncLifetime
{
    AwaitHumanApp App => host.App;
    OpenIdProvider _provider = null!;
    TestTenantAccount _tenant = null!;
    HttpClient _owner = null!;
    readonly List<IAsyncDisposable> _more = [];

    string Domain => $"{_tenant.Slug}.test";

    public async ValueTask InitializeAsync()
    {
        _provider = await OpenIdProvider.StartAsync();
        _tenant = await App.NewTenantAsync();
        _owner = App.CreateHttpClient(_tenant.ApiKey);
        await ConfigureAsync(_owner, _provider.Settings([Domain], defaultRole: Roles.Supervisor));
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _provider.DisposeAsync();
        foreach (var more in _more) await more.DisposeAsync();
    }

    static async Task ConfigureAsync(HttpClient owner, object settings)
    {
        using var put = await owner.PutAsJsonAsync("/v1/sso", settings, TestContext.Current.CancellationToken);
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>A browser without script: cookies kept per host, redirects followed across the provider and back.</summary>
    HttpClient Browser(bool followRedirects = true) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects }) { BaseAddress = App.Address };

    /// <summary>Starts at the company's SSO address and follows the browser's way, the page that moves on after the sign-in included.</summary>
    static async Task<HttpResponseMessage> StartAsync(HttpClient browser, string slug, string email)
    {
        var response = await browser.GetAsync($"/account/sso/{slug}/start?return_url=%2F&login_hint={Uri.EscapeDataString(email)}", TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var moveOn = System.Text.RegularExpressions.Regex.Match(page, "http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"");
        if (!moveOn.Success) return response;
        response.Dispose();
        return await browser.GetAsync(System.Net.WebUtility.HtmlDecode(moveOn.Groups[1].Value), TestContext.Current.CancellationToken);
    }

    string NewEmail(string prefix = "sso") => $"{prefix}-{Guid.NewGuid():N}"[..16] + "@" + Domain;

    /// <summary>Lands on the sign-in page with the refusal's code and its sentence; nobody with that address was made.</summary>
    async Task ShouldBeRefusedAsync(HttpResponseMessage landed, string code, string sentence, string email)
    {
        var page = await landed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        landed.RequestMessage!.RequestUri!.PathAndQuery.ShouldBe($"/account/login?sso={code}", page);
        page.ShouldContain(sentence);
        (await App.FindPersonAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task The_first_sign_in_makes_the_person_a_member_with_the_default_role()
    {
        var email = NewEmail();
        using var browser = Browser();

        using var landed = await StartAsync(browser, _tenant.Slug, email);

        landed.StatusCode.ShouldBe(HttpStatusCode.OK);
        landed.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/");
        var me = await browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/me", TestContext.Current.CancellationToken);
        me.ToString().ShouldContain(email);
        me.ToString().ShouldContain(Roles.Supervisor);
        me.ToString().ShouldContain(_tenant.Slug);

        using var again = Browser();
        (await StartAsync(again, _tenant.Slug, email)).RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/");
        var members = await _owner.GetStringAsync("/v1/members", TestContext.Current.CancellationToken);
        members.Split(email).Length.ShouldBe(2, "one membership, however often they sign in");
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_refused()
    {
        await using var elsewhere = await OpenIdProvider.StartAsync(issuerHost: "localhost");
        var tenant = await App.NewTenantAsync();
        using var owner = App.CreateHttpClient(tenant.ApiKey);
        await ConfigureAsync(owner, elsewhere.Settings([$"{tenant.Slug}.test"]));
        var email = $"someone@{tenant.Slug}.test";
        using var browser = Browser();

        using var landed = await StartAsync(browser, tenant.Slug, email);

        await ShouldBeRefusedAsync(landed, "wrong_issuer", "names another issuer", email);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        _provider.IdentityTokenAudience = "another-application";
        var email = NewEmail();
        using var browser = Browser();

        using var landed = await StartAsync(browser, _tenant.Slug, email);

        await ShouldBeRefusedAsync(landed, "wrong_audience", "another application (audience)", email);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        _provider.ClockOffset = TimeSpan.FromHours(-2);
        var email = NewEmail();
        using var browser = Browser();

        using var landed = await StartAsync(browser, _tenant.Slug, email);

        await ShouldBeRefusedAsync(landed, "expired", "token has expired", email);
    }

    [Fact]
    public async Task An_email_outside_the_configured_domains_is_refused()
    {
        var outsider = $"someone-{Guid.NewGuid():N}@elsewhere.test";
        _provider.SignedInEmail = outsider;
        using var browser = Browser();

        using var landed = await StartAsync(browser, _tenant.Slug, NewEmail());

        await ShouldBeRefusedAsync(landed, "outside_domains", "not in a domain this company", outsider);
    }

    [Fact]
    public async Task An_answer_begun_for_another_tenant_is_not_accepted_here()
    {
        var otherProvider = await OpenIdProvider.StartAsync();
        _more.Add(otherProvider);
        var other = await App.NewTenantAsync();
        using var otherOwner = App.CreateHttpClient(other.ApiKey);
        await ConfigureAsync(otherOwner, otherProvider.Settings([$"{other.Slug}.test"]));
        var email = $"someone-{Guid.NewGuid():N}@{other.Slug}.test";
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = App.Address };

        // The other tenant's sign-in, as far as its provider's answer to its callback...
        using var toProvider = await StartAsync(browser, other.Slug, email);
        using var answered = await browser.GetAsync(toProvider.Headers.Location, TestContext.Current.CancellationToken);
        var callback = answered.Headers.Location!;
        callback.AbsolutePath.ShouldBe($"/account/sso/{other.Slug}/callback");
        // ...delivered to this tenant's callback instead.
        using var landed = await browser.GetAsync($"/account/sso/{_tenant.Slug}/callback{callback.Query}", TestContext.Current.CancellationToken);

        landed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        landed.Headers.Location!.OriginalString.ShouldBe("/account/login?sso=other_tenant");
        (await App.FindPersonAsync(email)).ShouldBeNull();
        using var page = await browser.GetAsync(landed.Headers.Location, TestContext.Current.CancellationToken);
        (await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("belongs to another company");
    }

    [Fact]
    public async Task An_account_made_elsewhere_needs_an_invitation()
    {
        var other = await App.NewTenantAsync();
        var elsewhere = await App.NewMemberAsync(other, Roles.Operator, email: NewEmail("elsewhere"));
        using var browser = Browser();

        using var landed = await StartAsync(browser, _tenant.Slug, elsewhere.Email);

        landed.RequestMessage!.RequestUri!.PathAndQuery.ShouldBe("/account/login?sso=existing_account");
        (await _owner.GetStringAsync("/v1/members", TestContext.Current.CancellationToken)).ShouldNotContain(elsewhere.Email);
    }

    [Fact]
    public async Task Where_sso_is_required_only_the_break_glass_owner_signs_in_with_a_password()
    {
        var admin = await App.NewMemberAsync(_tenant, Roles.Admin, email: NewEmail("admin"));
        await ConfigureAsync(_owner, _provider.Settings([Domain], requireSso: true, breakGlassEmail: _tenant.OwnerEmail));
        using var anonymous = App.CreateHttpClient();

        using var refused = await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = admin.Email, password = admin.Password }, TestContext.Current.CancellationToken);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("title").GetString().ShouldBe("Single sign-on required");
        problem.GetProperty("sso_url").GetString().ShouldBe($"/account/sso/{_tenant.Slug}/start");

        using var owner = await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = _tenant.OwnerEmail, password = _tenant.OwnerPassword }, TestContext.Current.CancellationToken);
        owner.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var browser = Browser();
        (await StartAsync(browser, _tenant.Slug, admin.Email)).RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/");
        (await browser.GetStringAsync("/v1/me", TestContext.Current.CancellationToken)).ShouldContain(Roles.Admin);
    }

    [Fact]
    public async Task A_wrong_password_is_still_only_a_wrong_password_where_sso_is_required()
    {
        var admin = await App.NewMemberAsync(_tenant, Roles.Admin, email: NewEmail("admin"));
        await ConfigureAsync(_owner, _provider.Settings([Domain], requireSso: true, breakGlassEmail: _tenant.OwnerEmail));
        using var anonymous = App.CreateHttpClient();

        using var refused = await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = admin.Email, password = "not the password at all" }, TestContext.Current.CancellationToken);

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("title").GetString().ShouldBe("Sign-in failed");
    }
}
