using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Security;

/// <summary>Credentials are looked up on every request, so revoking on one node stops the key on all of them at once.</summary>
public sealed class RevocationAcrossNodesTests : IAsyncLifetime
{
    AwaitHumanApp _nodeA = null!;
    AwaitHumanApp _nodeB = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // A database of their own, so the shared test host does not join this cluster of nodes.
        var connectionString = await TestPostgres.CreateDatabaseAsync("revocation");
        _nodeA = await AwaitHumanApp.StartAsync(connectionString);
        _nodeB = await AwaitHumanApp.StartAsync(connectionString);
    }

    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_by_the_other_on_the_next_request()
    {
        var tenant = await _nodeA.NewTenantAsync();
        using var adminOnA = _nodeA.CreateHttpClient(tenant.ApiKey);
        using var created = await adminOnA.PostAsJsonAsync("/v1/api-keys", new { name = "agent", scopes = new[] { "escalations:read" } }, Ct);
        using var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        using var agentOnB = _nodeB.CreateHttpClient(key.RootElement.GetProperty("key").GetString()!);
        (await agentOnB.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await adminOnA.DeleteAsync($"/v1/api-keys/{key.RootElement.GetProperty("id").GetString()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var refused = await agentOnB.GetAsync("/v1/me", Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("revoked");
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }
}
