using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Tenancy;

/// <summary>
/// Every endpoint that names an object by id, asked by tenant B for tenant A's object: 404 and
/// nothing changed; every list of B shows nothing of A; no header, query or body field moves a caller
/// into another tenant.
/// </summary>
public sealed class CrossTenantIsolationTests(ServerTestsHost host) : IAsyncLifetime
{
    TestTenantAccount _a = null!;
    TestTenantAccount _b = null!;
    HttpClient _asA = null!;
    HttpClient _asB = null!;
    HttpClient _asBAdmin = null!;
    readonly Dictionary<string, string> _aObjects = [];

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _a = await host.App.NewTenantAsync();
        _b = await host.App.NewTenantAsync();
        _asA = host.App.CreateHttpClient(_a.ApiKey);
        _asB = host.App.CreateHttpClient(_b.ApiKey);
        _asBAdmin = host.App.CreateHttpClient((await host.App.NewMemberAsync(_b, "admin")).Token);

        _aObjects["api_key"] = await IdOf(await _asA.PostAsJsonAsync("/v1/api-keys", new { name = "a's agent", scopes = new[] { "escalations:write" } }, Ct));
        var member = await host.App.NewMemberAsync(_a, "operator");
        _aObjects["member"] = member.MembershipId.ToString();
        using (var asOperator = host.App.CreateHttpClient(member.Token))
            _aObjects["personal_access_token"] = await IdOf(await asOperator.PostAsJsonAsync("/v1/personal-access-tokens", new { name = "a's script" }, Ct));
        _aObjects["oauth_client"] = await IdOf(await _asA.PostAsJsonAsync("/v1/oauth-clients", new { name = "a's app", scopes = new[] { "escalations:read" } }, Ct));
    }

    /// <summary>Each endpoint, asked by B's API key and by a person of B (an admin); personal access tokens are people's only.</summary>
    public static TheoryData<string, string, string, string> ObjectEndpoints => new()
    {
        { "GET", "/v1/api-keys/{0}", "api_key", "api_key" },
        { "GET", "/v1/api-keys/{0}", "api_key", "person" },
        { "DELETE", "/v1/api-keys/{0}", "api_key", "api_key" },
        { "DELETE", "/v1/api-keys/{0}", "api_key", "person" },
        { "PATCH", "/v1/members/{0}", "member", "api_key" },
        { "PATCH", "/v1/members/{0}", "member", "person" },
        { "DELETE", "/v1/members/{0}", "member", "api_key" },
        { "DELETE", "/v1/members/{0}", "member", "person" },
        { "DELETE", "/v1/personal-access-tokens/{0}", "personal_access_token", "person" },
        { "GET", "/v1/oauth-clients/{0}", "oauth_client", "api_key" },
        { "GET", "/v1/oauth-clients/{0}", "oauth_client", "person" },
        { "DELETE", "/v1/oauth-clients/{0}", "oauth_client", "api_key" },
        { "DELETE", "/v1/oauth-clients/{0}", "oauth_client", "person" },
    };

    [Theory]
    [MemberData(nameof(ObjectEndpoints))]
    public async Task Another_tenants_object_is_not_found_and_stays_as_it_was(string method, string path, string kind, string credential)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, _aObjects[kind]);
        var before = await SnapshotOfA();

        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "PATCH") request.Content = JsonContent.Create(new { role = "admin" });
        using var response = await (credential == "person" ? _asBAdmin : _asB).SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldNotContain(_a.Slug);
        (await SnapshotOfA()).ShouldBe(before, "tenant A's objects are untouched");
    }

    [Theory]
    [InlineData("/v1/api-keys")]
    [InlineData("/v1/members")]
    [InlineData("/v1/oauth-clients")]
    [InlineData("/v1/audit")]
    [InlineData("/v1/tenant")]
    [InlineData("/v1/me")]
    [InlineData("/v1/personal-access-tokens")]
    public async Task Lists_of_one_tenant_never_show_anything_of_another(string path)
    {
        var body = await (path.Contains("personal") ? _asBAdmin : _asB).GetStringAsync(path, Ct);

        foreach (var id in _aObjects.Values) body.ShouldNotContain(id);
        body.ShouldNotContain(_a.Slug);
        body.ShouldNotContain(_a.OwnerEmail);
    }

    [Fact]
    public async Task A_tenant_named_in_a_header_query_or_body_is_ignored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/api-keys?tenant={_a.Slug}&tenant_id={_a.TenantId}");
        request.Headers.Add("X-Tenant", _a.Slug);
        request.Headers.Add("X-Tenant-Id", _a.TenantId);
        request.Headers.Add("tenant", _a.TenantId);
        using var response = await _asB.SendAsync(request, Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.ShouldNotContain(_aObjects["api_key"]);

        using var created = await _asB.PostAsJsonAsync("/v1/api-keys", new { name = "sneaky", scopes = new[] { "escalations:read" }, tenant_id = _a.TenantId, tenant = _a.Slug }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _asA.GetStringAsync("/v1/api-keys", Ct)).ShouldNotContain("sneaky");
        (await _asB.GetStringAsync("/v1/api-keys", Ct)).ShouldContain("sneaky");
    }

    async Task<string> SnapshotOfA() =>
        string.Join("\n", await _asA.GetStringAsync("/v1/api-keys", Ct), await _asA.GetStringAsync("/v1/members", Ct), await _asA.GetStringAsync("/v1/oauth-clients", Ct));

    static async Task<string> IdOf(HttpResponseMessage response)
    {
        using (response)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("id").GetString()!;
        }
    }

    public ValueTask DisposeAsync()
    {
        _asA.Dispose();
        _asB.Dispose();
        _asBAdmin.Dispose();
        return ValueTask.CompletedTask;
    }
}
