using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Accounts;

/// <summary>The session cookie is self-contained, so ending sessions goes through the person's security stamp.</summary>
public class SessionEndTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_signing_out_a_copy_of_the_cookie_no_longer_works()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.CreateHttpClient();
        using var signedIn = await browser.PostAsJsonAsync("/v1/auth/login", new { email = tenant.OwnerEmail, password = tenant.OwnerPassword }, Ct);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(header => header.StartsWith("awaithuman.session=", StringComparison.Ordinal)).Split(';')[0];
        using var stolen = _app.CreateHttpClient();
        stolen.DefaultRequestHeaders.Add("Cookie", cookie);
        (await stolen.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        (await browser.PostAsync("/v1/auth/logout", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var refused = await stolen.GetAsync("/v1/me", Ct);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("session has ended");
    }

    [Fact]
    public async Task A_password_reset_ends_the_persons_sessions()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var anonymous = _app.CreateHttpClient();
        (await anonymous.PostAsJsonAsync("/v1/account/password-reset", new { email = tenant.OwnerEmail }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var mail = (await _app.LatestSandboxEmailAsync(tenant.OwnerEmail, "reset_password"))!;
        (await anonymous.PostAsJsonAsync("/v1/account/password-reset/confirm",
            new { email = tenant.OwnerEmail, code = mail.Code, new_password = "a brand new passphrase" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Turning_on_two_factor_keeps_the_session_that_did_it_and_ends_the_others()
    {
        var tenant = await _app.NewTenantAsync();
        using var here = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        using var elsewhere = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        using var setup = await here.PostAsync("/v1/account/two-factor/setup", null, Ct);
        var key = (await setup.JsonAsync()).GetProperty("shared_key").GetString()!;

        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp();
        (await here.PostAsJsonAsync("/v1/account/two-factor/enable", new { code }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await here.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await elsewhere.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unverified_address_is_only_revealed_to_whoever_knows_the_password()
    {
        var slug = $"unv-{Guid.NewGuid():N}"[..20];
        var email = $"owner@{slug}.test";
        using var anonymous = _app.CreateHttpClient();
        (await anonymous.PostAsJsonAsync("/v1/signup", new { name = "Unverified", slug, email, password = TestTenants.Password }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = "not the password at all" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = TestTenants.Password }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
