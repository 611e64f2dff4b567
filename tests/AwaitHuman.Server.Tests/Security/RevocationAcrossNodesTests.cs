using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Security;

/// <summary>A revocation notifies every node on commit, so revoking on one node stops the key on all of them at once, cached or not.</summary>
public sealed class RevocationAcrossNodesTests : IAsyncLifetime
{
    TwoNodes _nodes = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _nodes = await TwoNodes.StartAsync("revocation");

    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_by_the_other_on_the_next_request()
    {
        var tenant = await _nodes.First.NewTenantAsync();
        using var adminOnA = _nodes.First.CreateHttpClient(tenant.ApiKey);
        using var created = await adminOnA.PostAsJsonAsync("/v1/api-keys", new { name = "agent", scopes = new[] { "escalations:read" } }, Ct);
        using var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        using var agentOnB = _nodes.Second.CreateHttpClient(key.RootElement.GetProperty("key").GetString()!);
        (await agentOnB.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await adminOnA.DeleteAsync($"/v1/api-keys/{key.RootElement.GetProperty("id").GetString()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var refused = await agentOnB.GetAsync("/v1/me", Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("revoked");
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
