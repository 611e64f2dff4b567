using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Security;

/// <summary>
/// A revocation or a membership change notifies every node on commit, so it applies on each of them from
/// the first request after its notification arrives, cached or not. PostgreSQL delivers the notification
/// to the other node's listener a moment after the commit, so each test waits for that node to have heard
/// it (<see cref="AwaitHuman.Core.Authentication.CredentialCache.Generation"/>) before its next request; without the wait the request can
/// overtake the notification on a busy machine.
/// </summary>
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

        var heard = SecondHeard();
        (await adminOnA.DeleteAsync($"/v1/api-keys/{key.RootElement.GetProperty("id").GetString()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await heard();

        using var refused = await agentOnB.GetAsync("/v1/me", Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("revoked");
    }

    [Fact]
    public async Task A_personal_access_token_revoked_on_one_node_is_refused_by_the_other_on_the_next_request()
    {
        var tenant = await _nodes.First.NewTenantAsync();
        var member = await _nodes.First.NewMemberAsync(tenant, "operator");
        using var personOnA = _nodes.First.CreateHttpClient(member.Token);
        using var created = await personOnA.PostAsJsonAsync("/v1/personal-access-tokens", new { name = "script" }, Ct);
        using var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        using var scriptOnB = _nodes.Second.CreateHttpClient(token.RootElement.GetProperty("token").GetString()!);
        (await scriptOnB.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var heard = SecondHeard();
        (await personOnA.DeleteAsync($"/v1/personal-access-tokens/{token.RootElement.GetProperty("id").GetString()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await heard();

        using var refused = await scriptOnB.GetAsync("/v1/me", Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("revoked");
    }

    [Fact]
    public async Task A_role_change_and_a_removal_on_one_node_apply_to_the_persons_token_on_the_other()
    {
        var tenant = await _nodes.First.NewTenantAsync();
        var member = await _nodes.First.NewMemberAsync(tenant, "operator");
        using var ownerOnA = _nodes.First.CreateHttpClient(tenant.ApiKey);
        using var personOnB = _nodes.Second.CreateHttpClient(member.Token);
        (await (await personOnB.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("role").GetString().ShouldBe("operator");

        var heard = SecondHeard();
        (await ownerOnA.PatchAsJsonAsync($"/v1/members/{member.MembershipId}", new { role = "supervisor" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await heard();
        (await (await personOnB.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("role").GetString().ShouldBe("supervisor");

        heard = SecondHeard();
        (await ownerOnA.DeleteAsync($"/v1/members/{member.MembershipId}", Ct)).IsSuccessStatusCode.ShouldBeTrue();
        await heard();
        (await personOnB.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>Call before a change on the first node; the task it returns ends once the second node has heard of a change since.</summary>
    Func<Task> SecondHeard()
    {
        var cache = _nodes.Second.Services.GetRequiredService<AwaitHuman.Core.Authentication.CredentialCache>();
        var before = cache.Generation;
        return () => Eventually.HappensAsync(() => Task.FromResult(cache.Generation > before), TimeSpan.FromSeconds(10), "the change's notification at the second node");
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
