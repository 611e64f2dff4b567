using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.SingleSignOn;

/// <summary>
/// Setting a tenant's single sign-on over <c>/v1/sso</c>: every field checked (nothing stored when one
/// is wrong), a domain belongs to one tenant, only owners' credentials may, and the secret never comes back.
/// </summary>
public class SsoSettingsEndpointsTests(ServerTestsHost host) : IAsyncLifetime
{
    const string Secret = "s3cret-the-idp-gave-us-0123456789";

    AwaitHumanApp App => host.App;
    TestTenantAccount _tenant = null!;
    HttpClient _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = await App.NewTenantAsync();
        _owner = App.CreateHttpClient(_tenant.ApiKey);
    }

    public ValueTask DisposeAsync()
    {
        _owner.Dispose();
        return ValueTask.CompletedTask;
    }

    object Valid(string? domain = null) => new
    {
        issuer = "https://acme.okta.example",
        client_id = "0oa1234567",
        client_secret = Secret,
        domains = new[] { domain ?? $"{_tenant.Slug}.test" },
        default_role = "supervisor",
    };

    [Fact]
    public async Task The_settings_come_back_with_the_redirect_uri_and_without_the_secret()
    {
        using var put = await _owner.PutAsJsonAsync("/v1/sso", Valid(), TestContext.Current.CancellationToken);
        var putBody = await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        put.StatusCode.ShouldBe(HttpStatusCode.OK, putBody);

        var details = await _owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/sso", TestContext.Current.CancellationToken);
        details.GetProperty("issuer").GetString().ShouldBe("https://acme.okta.example");
        details.GetProperty("client_secret_set").GetBoolean().ShouldBeTrue();
        details.GetProperty("domains").EnumerateArray().Select(d => d.GetString()).ShouldBe([$"{_tenant.Slug}.test"]);
        details.GetProperty("default_role").GetString().ShouldBe("supervisor");
        details.GetProperty("redirect_uri").GetString().ShouldBe($"{App.Address.ToString().TrimEnd('/')}/account/sso/{_tenant.Slug}/callback");

        var audit = await _owner.GetStringAsync("/v1/audit", TestContext.Current.CancellationToken);
        audit.ShouldContain("sso.configured");
        foreach (var answer in new[] { putBody, details.ToString(), audit }) answer.ShouldNotContain(Secret);
        (await Sql.ScalarAsync<long>(TestPostgres.ConnectionString, $"select count(*) from awaithuman.mt_events where data::text like '%{Secret}%'"))
            .ShouldBe(0, "the secret is stored encrypted");
    }

    [Fact]
    public async Task Saving_again_without_a_secret_keeps_the_stored_one()
    {
        (await _owner.PutAsJsonAsync("/v1/sso", Valid(), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var again = await _owner.PutAsJsonAsync("/v1/sso",
            new { issuer = "https://acme.okta.example", client_id = "0oa-other", domains = new[] { $"{_tenant.Slug}.test" } }, TestContext.Current.CancellationToken);

        var details = await again.JsonAsync();
        again.StatusCode.ShouldBe(HttpStatusCode.OK, details.ToString());
        details.GetProperty("client_id").GetString().ShouldBe("0oa-other");
        details.GetProperty("client_secret_set").GetBoolean().ShouldBeTrue();
        details.GetProperty("default_role").GetString().ShouldBe("operator");
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"client_id": "c", "client_secret": "s", "domains": ["a.test"]}""", "issuer" },
        { """{"issuer": "not a url", "client_id": "c", "client_secret": "s", "domains": ["a.test"]}""", "issuer" },
        { """{"issuer": "http://idp.example.com", "client_id": "c", "client_secret": "s", "domains": ["a.test"]}""", "issuer" },
        { """{"issuer": "https://idp.example.com?x=1", "client_id": "c", "client_secret": "s", "domains": ["a.test"]}""", "issuer" },
        { """{"issuer": "https://idp.example.com", "client_secret": "s", "domains": ["a.test"]}""", "client_id" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "domains": ["a.test"]}""", "client_secret" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "client_secret": "s"}""", "domains" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "client_secret": "s", "domains": ["not a domain"]}""", "domains" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "client_secret": "s", "domains": ["localhost"]}""", "domains" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "client_secret": "s", "domains": ["a.test"], "default_role": "owner"}""", "default_role" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "client_secret": "s", "domains": ["a.test"], "require_sso": true}""", "break_glass_email" },
        { """{"issuer": "https://idp.example.com", "client_id": "c", "client_secret": "s", "domains": ["a.test"], "break_glass_email": "nobody@a.test"}""", "break_glass_email" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_wrong_field_is_named_and_nothing_is_stored(string body, string field)
    {
        using var put = await _owner.PutAsync("/v1/sso", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await put.ShouldBeInvalidAsync(field);
        using var get = await _owner.GetAsync("/v1/sso", TestContext.Current.CancellationToken);
        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_break_glass_person_must_be_an_owner()
    {
        var admin = await App.NewMemberAsync(_tenant, Roles.Admin);

        using var put = await _owner.PutAsJsonAsync("/v1/sso", new
        {
            issuer = "https://idp.example.com", client_id = "c", client_secret = "s", domains = new[] { $"{_tenant.Slug}.test" },
            require_sso = true, break_glass_email = admin.Email,
        }, TestContext.Current.CancellationToken);

        var problem = await put.ShouldBeInvalidAsync("break_glass_email");
        problem.ToString().ShouldContain("is not an owner");
    }

    [Fact]
    public async Task A_domain_of_another_tenants_sign_on_is_refused_and_nothing_is_stored()
    {
        var other = await App.NewTenantAsync();
        using var otherOwner = App.CreateHttpClient(other.ApiKey);
        (await otherOwner.PutAsJsonAsync("/v1/sso", Valid($"{other.Slug}.test"), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var put = await _owner.PutAsJsonAsync("/v1/sso", Valid($"{other.Slug}.test"), TestContext.Current.CancellationToken);

        var problem = await put.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain($"{other.Slug}.test");
        (await _owner.GetAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_it()
    {
        (await _owner.PutAsJsonAsync("/v1/sso", Valid(), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var other = await App.NewTenantAsync();
        using var otherOwner = App.CreateHttpClient(other.ApiKey);

        using var get = await otherOwner.GetAsync("/v1/sso", TestContext.Current.CancellationToken);
        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var delete = await otherOwner.DeleteAsync("/v1/sso", TestContext.Current.CancellationToken);
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await _owner.GetAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Operator)]
    public async Task Only_owners_credentials_may_read_or_change_it(string role)
    {
        var member = await App.NewMemberAsync(_tenant, role);
        using var client = App.CreateHttpClient(member.Token);

        (await client.GetAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PutAsJsonAsync("/v1/sso", Valid(), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.DeleteAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _owner.GetAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Removing_it_turns_it_off()
    {
        (await _owner.PutAsJsonAsync("/v1/sso", Valid(), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await _owner.DeleteAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await _owner.GetAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _owner.DeleteAsync("/v1/sso", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
