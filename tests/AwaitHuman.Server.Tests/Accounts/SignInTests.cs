using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Accounts;

public class SignInTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<HttpResponseMessage> SignInAsync(HttpClient client, string? email, string? password) =>
        client.PostAsJsonAsync("/v1/auth/login", new { email, password }, Ct);

    [Fact]
    public async Task The_right_password_starts_a_session_in_the_person_s_tenant()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.CreateHttpClient();

        using var response = await SignInAsync(browser, tenant.OwnerEmail, tenant.OwnerPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(header => header.StartsWith("awaithuman.session=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        var signedIn = await response.JsonAsync();
        signedIn.GetProperty("person_id").GetGuid().ShouldBe(tenant.OwnerId);
        signedIn.GetProperty("tenant").GetString().ShouldBe(tenant.Slug);
        signedIn.GetProperty("role").GetString().ShouldBe("owner");

        using var me = await browser.GetAsync("/v1/me", Ct);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        var caller = await me.JsonAsync();
        caller.GetProperty("tenant").GetString().ShouldBe(tenant.Slug);
        caller.GetProperty("credential").GetProperty("type").GetString().ShouldBe("session");
        caller.GetProperty("role").GetString().ShouldBe("owner");
        caller.GetProperty("person_id").GetGuid().ShouldBe(tenant.OwnerId);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_starts_no_session()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = _app.CreateHttpClient();

        using var response = await SignInAsync(browser, tenant.OwnerEmail, "not the password at all");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_address_is_refused_like_a_wrong_password()
    {
        using var browser = _app.CreateHttpClient();

        using var response = await SignInAsync(browser, $"nobody-{Guid.NewGuid():N}@example.test", TestTenants.Password);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_missing_address_or_password_is_named()
    {
        using var browser = _app.CreateHttpClient();

        await (await SignInAsync(browser, null, null)).ShouldBeInvalidAsync("email", "password");
    }

    [Fact]
    public async Task An_owner_who_has_not_verified_their_email_cannot_sign_in()
    {
        var slug = $"u-{Guid.NewGuid():N}"[..24];
        var email = $"owner@{slug}.test";
        using var browser = _app.CreateHttpClient();
        (await browser.PostAsJsonAsync("/v1/signup", new { name = "Unverified Ltd", slug, email, password = TestTenants.Password }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        using var response = await SignInAsync(browser, email, TestTenants.Password);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString()!.ShouldContain("Verify your email");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused()
    {
        var tenant = await _app.NewTenantAsync();
        using var attacker = _app.CreateHttpClient();
        for (var attempt = 1; attempt < 5; attempt++)
            (await SignInAsync(attacker, tenant.OwnerEmail, $"guess number {attempt}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var fifth = await SignInAsync(attacker, tenant.OwnerEmail, "guess number 5");

        await fifth.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        fifth.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));

        using var owner = _app.CreateHttpClient();
        using var rightPassword = await SignInAsync(owner, tenant.OwnerEmail, tenant.OwnerPassword);
        await rightPassword.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        rightPassword.Headers.RetryAfter.ShouldNotBeNull();
        rightPassword.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task A_lockout_is_in_the_audit_trail_of_the_person_s_tenant_with_the_source_address()
    {
        var tenant = await _app.NewTenantAsync();
        using var attacker = _app.CreateHttpClient();
        for (var attempt = 1; attempt <= 5; attempt++) await SignInAsync(attacker, tenant.OwnerEmail, $"guess number {attempt}");

        using var admin = _app.CreateHttpClient(tenant.ApiKey);
        var audit = await (await admin.GetAsync("/v1/audit", Ct)).JsonAsync();

        var lockout = audit.GetProperty("items").EnumerateArray().Single(entry => entry.GetProperty("action").GetString() == "member.locked_out");
        lockout.GetProperty("subject").GetString().ShouldStartWith(tenant.OwnerEmail);
        var actor = lockout.GetProperty("actor");
        actor.GetProperty("kind").GetString().ShouldBe("sign_in");
        actor.GetProperty("name").GetString().ShouldBe(tenant.OwnerEmail);
        actor.GetProperty("source_ip").GetString().ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        (await browser.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await browser.PostAsync("/v1/auth/logout", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Set-Cookie").ShouldContain(header => header.StartsWith("awaithuman.session=;", StringComparison.Ordinal) && header.Contains("expires=Thu, 01 Jan 1970"));
        using var me = await browser.GetAsync("/v1/me", Ct);
        await me.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
