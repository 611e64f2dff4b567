using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.ApiKeys;

public class ApiKeyEndpointsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement> CreateAsync(HttpClient caller, object request)
    {
        using var response = await caller.PostAsJsonAsync("/v1/api-keys", request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    static async Task<(string Text, JsonElement[] Keys)> ListAsync(HttpClient caller)
    {
        using var response = await caller.GetAsync("/v1/api-keys", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (text, JsonDocument.Parse(text).RootElement.Items());
    }

    static async Task<JsonElement> GetAsync(HttpClient caller, string id)
    {
        using var response = await caller.GetAsync($"/v1/api-keys/{id}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    static string[] ScopesOf(JsonElement element) => [.. element.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()!)];

    static string Sha256Hex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    [Fact]
    public async Task A_new_key_is_shown_once_with_its_prefix_and_at_least_160_random_bits()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        var created = await CreateAsync(owner, new { name = "support agent", scopes = new[] { "escalations:read", "escalations:write" } });

        var key = created.GetProperty("key").GetString()!;
        key.ShouldStartWith("ah_live_");
        Base64Url.DecodeFromChars(key.AsSpan("ah_live_".Length)).Length.ShouldBeGreaterThanOrEqualTo(160 / 8);
        created.GetProperty("mode").GetString().ShouldBe("live");
        created.GetProperty("name").GetString().ShouldBe("support agent");
        created.GetProperty("hint").GetString().ShouldBe(key[..12] + "...");
        ScopesOf(created).ShouldBe(["escalations:read", "escalations:write"], ignoreOrder: true);

        using var agent = _app.CreateHttpClient(key);
        var me = await (await agent.GetAsync("/v1/me", Ct)).JsonAsync();
        me.GetProperty("tenant").GetString().ShouldBe(tenant.Slug);
        me.GetProperty("credential").GetProperty("type").GetString().ShouldBe("api_key");
        me.GetProperty("credential").GetProperty("name").GetString().ShouldBe("support agent");
        ScopesOf(me).ShouldBe(["escalations:read", "escalations:write"], ignoreOrder: true);
        me.GetProperty("role").ValueKind.ShouldBe(JsonValueKind.Null);
        (await agent.GetAsync("/v1/api-keys", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_test_mode_key_says_so_in_its_prefix()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        var created = await CreateAsync(owner, new { name = "staging agent", mode = "test", scopes = new[] { "escalations:read" } });

        created.GetProperty("key").GetString()!.ShouldStartWith("ah_test_");
        created.GetProperty("mode").GetString().ShouldBe("test");
        using var agent = _app.CreateHttpClient(created.GetProperty("key").GetString()!);
        (await agent.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_keys_never_share_a_secret()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        var first = await CreateAsync(owner, new { name = "first", scopes = new[] { "escalations:read" } });
        var second = await CreateAsync(owner, new { name = "second", scopes = new[] { "escalations:read" } });

        first.GetProperty("key").GetString().ShouldNotBe(second.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Only_the_sha256_of_a_key_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var created = await CreateAsync(owner, new { name = "stored agent", scopes = new[] { "escalations:read" } });
        var key = created.GetProperty("key").GetString()!;
        var randomPart = key["ah_live_".Length..];

        var document = await Sql.ScalarAsync<string>(TestPostgres.ConnectionString,
            $"select data::text from awaithuman.mt_doc_apikey where id = '{created.GetProperty("id").GetGuid()}'");
        var events = await Sql.QueryAsync(TestPostgres.ConnectionString,
            $"select data::text from awaithuman.mt_events where stream_id = '{created.GetProperty("id").GetGuid()}'", row => row.GetString(0));

        document.ShouldNotContain(key);
        document.ShouldNotContain(randomPart);
        document.ShouldContain(Sha256Hex(key));
        events.ShouldNotBeEmpty();
        events.ShouldAllBe(data => !data.Contains(randomPart));
    }

    [Fact]
    public async Task The_list_shows_hints_never_secrets()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var created = await CreateAsync(owner, new { name = "listed agent", scopes = new[] { "escalations:read" } });
        var key = created.GetProperty("key").GetString()!;

        var (text, keys) = await ListAsync(owner);

        text.ShouldNotContain(key);
        text.ShouldNotContain(tenant.ApiKey);
        keys.Select(k => k.GetProperty("name").GetString()).ShouldBe(["listed agent", "Default key"]);
        keys.Where(k => k.TryGetProperty("key", out _)).ShouldBeEmpty();
        keys[0].GetProperty("hint").GetString().ShouldBe(key[..12] + "...");
        keys[0].GetProperty("created_by").GetProperty("kind").GetString().ShouldBe("api_key");
        (await GetAsync(owner, created.GetProperty("id").GetString()!)).ToString().ShouldNotContain(key);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_with_problem_details()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var created = await CreateAsync(owner, new { name = "short-lived agent", scopes = new[] { "escalations:read" } });
        using var agent = _app.CreateHttpClient(created.GetProperty("key").GetString()!);
        (await agent.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await owner.DeleteAsync($"/v1/api-keys/{created.GetProperty("id").GetString()}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var refused = await agent.GetAsync("/v1/me", Ct);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("revoked");
        refused.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        (await GetAsync(owner, created.GetProperty("id").GetString()!)).GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Using_a_key_sets_its_last_used_at()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var created = await CreateAsync(owner, new { name = "busy agent", scopes = new[] { "escalations:read" } });
        var id = created.GetProperty("id").GetString()!;
        (await GetAsync(owner, id)).GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.Null);

        using var agent = _app.CreateHttpClient(created.GetProperty("key").GetString()!);
        (await agent.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await GetAsync(owner, id)).GetProperty("last_used_at").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("name", """{"scopes": ["escalations:read"]}""")]
    [InlineData("name", """{"name": " ", "scopes": ["escalations:read"]}""")]
    [InlineData("scopes", """{"name": "agent"}""")]
    [InlineData("scopes", """{"name": "agent", "scopes": []}""")]
    [InlineData("scopes", """{"name": "agent", "scopes": ["escalations:read", "everything"]}""")]
    [InlineData("mode", """{"name": "agent", "mode": "prod", "scopes": ["escalations:read"]}""")]
    public async Task A_bad_request_is_refused_naming_the_field_and_stores_nothing(string field, string json)
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await owner.PostAsync("/v1/api-keys", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        await response.ShouldBeInvalidAsync(field);
        (await ListAsync(owner)).Keys.Length.ShouldBe(1);
    }

    [Fact]
    public async Task A_key_cannot_grant_scopes_beyond_its_own()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var keyMaker = await CreateAsync(owner, new { name = "key maker", scopes = new[] { "api_keys:manage", "escalations:read" } });
        using var narrow = _app.CreateHttpClient(keyMaker.GetProperty("key").GetString()!);

        using var response = await narrow.PostAsJsonAsync("/v1/api-keys", new { name = "bigger", scopes = new[] { "escalations:read", "escalations:write" } }, Ct);

        var problem = await response.ShouldBeInvalidAsync("scopes");
        problem.GetProperty("errors").GetProperty("scopes")[0].GetString()!.ShouldContain("escalations:write");
        (await ListAsync(owner)).Keys.Length.ShouldBe(2);
    }

    [Fact]
    public async Task An_admin_cannot_grant_the_tenant_scope_their_role_lacks()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var token = _app.CreateHttpClient(admin.Token);

        using var response = await token.PostAsJsonAsync("/v1/api-keys", new { name = "too strong", scopes = new[] { "tenant:manage" } }, Ct);

        await response.ShouldBeInvalidAsync("scopes");
        (await ListAsync(token)).Keys.Length.ShouldBe(1);
        (await CreateAsync(token, new { name = "fine", scopes = new[] { "members:manage" } })).GetProperty("key").GetString()!.ShouldStartWith("ah_live_");
    }

    [Fact]
    public async Task Another_tenant_s_key_can_be_neither_seen_nor_revoked()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        using var firstOwner = _app.CreateHttpClient(first.ApiKey);
        using var secondOwner = _app.CreateHttpClient(second.ApiKey);
        var created = await CreateAsync(firstOwner, new { name = "first's agent", scopes = new[] { "escalations:read" } });
        var id = created.GetProperty("id").GetString();

        await (await secondOwner.GetAsync($"/v1/api-keys/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await secondOwner.DeleteAsync($"/v1/api-keys/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await ListAsync(secondOwner)).Keys.Length.ShouldBe(1);
        using var agent = _app.CreateHttpClient(created.GetProperty("key").GetString()!);
        (await agent.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_made_up_key_is_refused_with_problem_details()
    {
        using var client = _app.CreateHttpClient("ah_live_" + new string('x', 32));

        var problem = await (await client.GetAsync("/v1/me", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        problem.GetProperty("detail").GetString()!.ShouldContain("not valid");
    }
}
