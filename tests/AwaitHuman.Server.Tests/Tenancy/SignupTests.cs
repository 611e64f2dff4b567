using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Testing;
using Marten;

namespace AwaitHuman.Server.Tests.Tenancy;

public class SignupTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    readonly HttpClient _client = host.App.CreateHttpClient();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A valid signup of a new company, as the body's fields.</summary>
    static Dictionary<string, string?> NewCompany()
    {
        var slug = $"s-{Guid.NewGuid():N}"[..24];
        return new() { ["name"] = $"Company {slug}", ["slug"] = slug, ["email"] = $"owner@{slug}.test", ["password"] = TestTenants.Password };
    }

    Task<HttpResponseMessage> SignUpAsync(Dictionary<string, string?> company) => _client.PostAsJsonAsync("/v1/signup", company, Ct);

    Task<HttpResponseMessage> VerifyAsync(string? email, string? code) => _client.PostAsJsonAsync("/v1/signup/verify", new { email, code }, Ct);

    async Task<string> VerificationCodeAsync(string email)
    {
        var mail = await _app.LatestSandboxEmailAsync(email, "verify_email");
        mail.ShouldNotBeNull($"no verification mail to {email}");
        mail.Code.ShouldNotBeNullOrWhiteSpace();
        mail.Text.ShouldContain(mail.Code);
        return mail.Code;
    }

    async Task<Tenant?> TenantWithSlugAsync(string slug)
    {
        await using var session = _app.Store.QuerySession();
        return await session.FindBySlugAcrossTenantsAsync(slug, Ct);
    }

    [Fact]
    public async Task A_signup_waits_for_the_owner_to_verify_their_email()
    {
        var company = NewCompany();

        using var response = await SignUpAsync(company);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        body.GetProperty("slug").GetString().ShouldBe(company["slug"]);
        body.GetProperty("name").GetString().ShouldBe(company["name"]);
        body.GetProperty("status").GetString().ShouldBe("pending_verification");
        body.GetProperty("owner_email").GetString().ShouldBe(company["email"]);
        (await TenantWithSlugAsync(company["slug"]!))!.Status.ShouldBe(TenantStatus.PendingVerification);
        await VerificationCodeAsync(company["email"]!);
    }

    [Fact]
    public async Task Verifying_the_owner_email_activates_the_tenant_and_returns_its_first_key_with_every_scope()
    {
        var company = NewCompany();
        (await SignUpAsync(company)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var response = await VerifyAsync(company["email"], await VerificationCodeAsync(company["email"]!));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        body.GetProperty("slug").GetString().ShouldBe(company["slug"]);
        body.GetProperty("status").GetString().ShouldBe("active");
        var apiKey = body.GetProperty("api_key");
        var key = apiKey.GetProperty("key").GetString()!;
        key.ShouldStartWith(ApiKey.LivePrefix);
        apiKey.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).ShouldBe(Scopes.All, ignoreOrder: true);

        using var agent = _app.CreateHttpClient(key);
        using var me = await agent.GetAsync("/v1/me", Ct);
        me.StatusCode.ShouldBe(HttpStatusCode.OK, await me.Content.ReadAsStringAsync(Ct));
        var caller = await me.JsonAsync();
        caller.GetProperty("tenant").GetString().ShouldBe(company["slug"]);
        caller.GetProperty("credential").GetProperty("type").GetString().ShouldBe("api_key");
        caller.GetProperty("credential").GetProperty("id").GetString().ShouldBe(apiKey.GetProperty("id").GetString());
        caller.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).ShouldBe(Scopes.All, ignoreOrder: true);
    }

    [Fact]
    public async Task Verifying_twice_is_a_conflict_and_mints_no_second_key()
    {
        var company = NewCompany();
        (await SignUpAsync(company)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var code = await VerificationCodeAsync(company["email"]!);
        (await VerifyAsync(company["email"], code)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var again = await VerifyAsync(company["email"], code);

        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("field").GetString().ShouldBe("email");
        var tenant = await TenantWithSlugAsync(company["slug"]!);
        await using var session = _app.Store.QuerySession(tenant!.TenantId);
        (await session.Query<ApiKey>().CountAsync(Ct)).ShouldBe(1);
    }

    [Theory]
    [InlineData("name", null)]
    [InlineData("name", "  ")]
    [InlineData("name", "X")]
    [InlineData("slug", null)]
    [InlineData("slug", "Acme-Corp")]
    [InlineData("slug", "admin")]
    [InlineData("slug", "ab")]
    [InlineData("slug", "-acme")]
    [InlineData("slug", "ac--me")]
    [InlineData("email", null)]
    [InlineData("email", "not-an-email")]
    [InlineData("password", null)]
    [InlineData("password", "too short")]
    public async Task A_wrong_field_is_named_and_nothing_is_created(string field, string? value)
    {
        var company = NewCompany();
        company[field] = value;

        using var response = await SignUpAsync(company);

        await response.ShouldBeInvalidAsync(field);
        if (company["email"] is { } email) (await _app.FindPersonAsync(email)).ShouldBeNull();
        if (company["slug"] is { } slug) (await TenantWithSlugAsync(slug)).ShouldBeNull();
    }

    [Fact]
    public async Task Every_wrong_field_is_named_at_once()
    {
        using var response = await SignUpAsync(new() { ["name"] = "", ["slug"] = "Admin", ["email"] = "owner@", ["password"] = "short" });

        await response.ShouldBeInvalidAsync("name", "slug", "email", "password");
    }

    [Fact]
    public async Task A_taken_slug_is_a_conflict_and_the_new_owner_is_not_created()
    {
        var first = NewCompany();
        (await SignUpAsync(first)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var second = NewCompany();
        second["slug"] = first["slug"];

        using var response = await SignUpAsync(second);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("field").GetString().ShouldBe("slug");
        (await _app.FindPersonAsync(second["email"]!)).ShouldBeNull();
        (await _app.LatestSandboxEmailAsync(second["email"]!, "verify_email")).ShouldBeNull();
    }

    [Fact]
    public async Task An_address_that_already_has_a_person_is_a_conflict_and_no_tenant_is_created()
    {
        var first = NewCompany();
        (await SignUpAsync(first)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var second = NewCompany();
        second["email"] = first["email"]!.ToUpperInvariant();

        using var response = await SignUpAsync(second);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("field").GetString().ShouldBe("email");
        (await TenantWithSlugAsync(second["slug"]!)).ShouldBeNull();
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_the_tenant_stays_pending_without_credentials()
    {
        var company = NewCompany();
        (await SignUpAsync(company)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var other = NewCompany();
        (await SignUpAsync(other)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var codeOfAnotherOwner = await VerificationCodeAsync(other["email"]!);

        using var response = await VerifyAsync(company["email"], codeOfAnotherOwner);

        await response.ShouldBeInvalidAsync("code");
        var tenant = await TenantWithSlugAsync(company["slug"]!);
        tenant!.Status.ShouldBe(TenantStatus.PendingVerification);
        await using (var session = _app.Store.QuerySession(tenant.TenantId))
            (await session.Query<ApiKey>().CountAsync(Ct)).ShouldBe(0);
        (await _app.FindPersonAsync(company["email"]!))!.EmailConfirmed.ShouldBeFalse();
    }

    [Fact]
    public async Task Garbage_or_missing_codes_are_refused_naming_the_field()
    {
        var company = NewCompany();
        (await SignUpAsync(company)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await (await VerifyAsync(company["email"], "not base64url!")).ShouldBeInvalidAsync("code");
        await (await VerifyAsync(company["email"], null)).ShouldBeInvalidAsync("code");
        await (await VerifyAsync("nobody@nowhere.test", await VerificationCodeAsync(company["email"]!))).ShouldBeInvalidAsync("code");
        await (await VerifyAsync(null, null)).ShouldBeInvalidAsync("email", "code");

        // The right code still works after the wrong ones.
        (await VerifyAsync(company["email"], await VerificationCodeAsync(company["email"]!))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
