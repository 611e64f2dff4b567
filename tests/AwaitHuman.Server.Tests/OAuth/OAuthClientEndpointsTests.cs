using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.OAuth;

/// <summary>Registering, listing and removing a tenant's OAuth clients; other tenants see none of them.</summary>
public class OAuthClientEndpointsTests(ServerTestsHost host) : IAsyncLifetime
{
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

    [Fact]
    public async Task A_confidential_clients_secret_is_shown_once_and_never_listed()
    {
        using var created = await _owner.PostAsJsonAsync("/v1/oauth-clients", new { name = "Triage agent", scopes = new[] { Scopes.EscalationsRead } }, TestContext.Current.CancellationToken);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var client = await JsonAsync(created);
        var id = client.GetProperty("id").GetGuid();
        var secret = client.GetProperty("client_secret").GetString()!;
        secret.ShouldStartWith("ahcs_");
        client.GetProperty("type").GetString().ShouldBe("confidential");
        created.Headers.Location!.ToString().ShouldBe($"/v1/oauth-clients/{id}");

        var listed = await _owner.GetStringAsync("/v1/oauth-clients", TestContext.Current.CancellationToken);
        var one = await _owner.GetStringAsync($"/v1/oauth-clients/{id}", TestContext.Current.CancellationToken);
        foreach (var body in new[] { listed, one })
        {
            body.ShouldNotContain(secret);
            body.ShouldNotContain("client_secret");
        }
        JsonDocument.Parse(one).RootElement.GetProperty("name").GetString().ShouldBe("Triage agent");
        (await Sql.ScalarAsync<string>(TestPostgres.ConnectionString, $"select \"ClientSecret\" from accounts.\"OpenIddictApplications\" where \"Id\" = '{id}'"))
            .ShouldNotBe(secret, "OpenIddict keeps a hash of the secret only");
    }

    [Fact]
    public async Task A_public_client_has_its_redirect_uris_and_no_secret()
    {
        using var created = await _owner.PostAsJsonAsync("/v1/oauth-clients",
            new { name = "Mobile app", type = "public", scopes = new[] { Scopes.EscalationsRead }, redirect_uris = new[] { OAuthScenarios.RedirectUri } },
            TestContext.Current.CancellationToken);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var client = await JsonAsync(created);
        client.GetProperty("client_secret").ValueKind.ShouldBe(JsonValueKind.Null);
        client.GetProperty("redirect_uris").EnumerateArray().Select(uri => uri.GetString()).ShouldBe([OAuthScenarios.RedirectUri]);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "missing name", """{"scopes":["escalations:read"]}""", "name" },
        { "blank name", """{"name":"  ","scopes":["escalations:read"]}""", "name" },
        { "unknown type", """{"name":"x","type":"hybrid","scopes":["escalations:read"]}""", "type" },
        { "no scopes", """{"name":"x","scopes":[]}""", "scopes" },
        { "unknown scope", """{"name":"x","scopes":["escalations:read","escalations:delete"]}""", "scopes" },
        { "public without redirect URIs", """{"name":"x","type":"public","scopes":["escalations:read"]}""", "redirect_uris" },
        { "public with a relative redirect URI", """{"name":"x","type":"public","scopes":["escalations:read"],"redirect_uris":["/callback"]}""", "redirect_uris" },
        { "public with a fragment in the redirect URI", """{"name":"x","type":"public","scopes":["escalations:read"],"redirect_uris":["http://127.0.0.1:9/cb#x"]}""", "redirect_uris" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing(string _, string body, string field)
    {
        using var response = await _owner.PostAsync("/v1/oauth-clients", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ShouldBeInvalidAsync(response, field);
        await ShouldHaveNoClientsAsync(_tenant);
    }

    [Fact]
    public async Task A_scope_beyond_the_caller_is_a_400_and_stores_nothing()
    {
        // An admin may manage OAuth clients but does not hold tenant:manage.
        var admin = await App.NewMemberAsync(_tenant, Roles.Admin);
        using var asAdmin = App.CreateHttpClient(admin.Token);

        using var response = await asAdmin.PostAsJsonAsync("/v1/oauth-clients", new { name = "x", scopes = new[] { Scopes.EscalationsRead, Scopes.TenantManage } }, TestContext.Current.CancellationToken);

        await ShouldBeInvalidAsync(response, "scopes");
        await ShouldHaveNoClientsAsync(_tenant);
    }

    [Fact]
    public async Task Another_tenant_can_neither_see_nor_remove_a_client()
    {
        var client = await App.NewConfidentialClientAsync(_tenant.ApiKey, Scopes.EscalationsRead);
        var other = await App.NewTenantAsync();
        var othersClient = await App.NewConfidentialClientAsync(other.ApiKey, Scopes.EscalationsRead);
        using var asOther = App.CreateHttpClient(other.ApiKey);

        (await asOther.GetAsync($"/v1/oauth-clients/{client.Id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asOther.DeleteAsync($"/v1/oauth-clients/{client.Id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var listed = await asOther.ListAllAsync("/v1/oauth-clients");
        listed.Select(c => c.GetProperty("id").GetGuid()).ShouldBe([othersClient.Id]);

        (await _owner.GetAsync($"/v1/oauth-clients/{client.Id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await App.ClientCredentialsTokenAsync(client);
    }

    [Fact]
    public async Task Another_tenants_client_token_never_reaches_this_tenants_data()
    {
        var client = await App.NewConfidentialClientAsync(_tenant.ApiKey, Scopes.EscalationsRead);
        var other = await App.NewTenantAsync();
        var othersClient = await App.NewConfidentialClientAsync(other.ApiKey, Scopes.OAuthClientsManage, Scopes.MembersRead);
        using var asOthersClient = App.CreateHttpClient(await App.ClientCredentialsTokenAsync(othersClient));

        (await App.MeAsync(await App.ClientCredentialsTokenAsync(othersClient))).GetProperty("tenant").GetString().ShouldBe(other.Slug);
        (await asOthersClient.GetAsync($"/v1/oauth-clients/{client.Id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asOthersClient.DeleteAsync($"/v1/oauth-clients/{client.Id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var clients = await asOthersClient.ListAllAsync("/v1/oauth-clients");
        clients.Select(c => c.GetProperty("id").GetGuid()).ShouldBe([othersClient.Id]);
        var members = await asOthersClient.ListAllAsync("/v1/members");
        members.Select(m => m.GetProperty("email").GetString()).ShouldBe([other.OwnerEmail]);

        await App.ClientCredentialsTokenAsync(client);
    }

    static async Task ShouldBeInvalidAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name).ShouldBe([field]);
    }

    async Task ShouldHaveNoClientsAsync(TestTenantAccount tenant)
    {
        (await _owner.ListAllAsync("/v1/oauth-clients")).ShouldBeEmpty();
        (await Sql.ScalarAsync<long>(TestPostgres.ConnectionString,
            $"select count(*) from accounts.\"OpenIddictApplications\" where \"Properties\"::jsonb ->> 'tenant_id' = '{tenant.TenantId}'")).ShouldBe(0);
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
}
