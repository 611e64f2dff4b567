using System.Text.Json;
using AwaitHuman.Core.Routing;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Routing;

/// <summary>
/// Each node keeps a tenant's rules and teams in memory for the openings it routes; a change on any
/// node notifies every node on commit, and the next opening is routed by the new setup. As in
/// <see cref="Security.RevocationAcrossNodesTests"/>, each test waits for the second node to have heard
/// the change before it opens there: PostgreSQL delivers the notification a moment after the commit.
/// </summary>
public sealed class RoutingAcrossNodesTests : IAsyncLifetime
{
    TwoNodes _nodes = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _nodes = await TwoNodes.StartAsync("routing_setup");

    [Fact]
    public async Task Rules_published_on_one_node_route_the_next_opening_on_the_other()
    {
        var routed = await RoutedTenant.StartAsync(_nodes.First, operators: 1);
        using var agentOnB = _nodes.Second.CreateHttpClient(routed.Tenant.ApiKey);
        (await DecisionsOf(routed, await OpenAsync(agentOnB))).ShouldContain("routed by rule 1 (refunds) v1: reason=refund_dispute");

        var heard = SecondHeard();
        await routed.SendOkAsync(HttpMethod.Put, "/v1/routing-rules", new
        {
            rules = new object[] { new { name = "low refunds", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } }, then = new { set_priority = "low" } } },
        });
        await heard();

        (await DecisionsOf(routed, await OpenAsync(agentOnB))).ShouldContain("routed by rule 1 (low refunds) v2: reason=refund_dispute");
    }

    [Fact]
    public async Task A_member_taken_off_a_team_on_one_node_gets_nothing_more_from_openings_on_the_other()
    {
        var routed = await RoutedTenant.StartAsync(_nodes.First, operators: 2);
        await routed.OnlineAsync(0);
        using var agentOnB = _nodes.Second.CreateHttpClient(routed.Tenant.ApiKey);
        (await OpenAsync(agentOnB)).GetProperty("status").GetString().ShouldBe("with_human");

        var heard = SecondHeard();
        using (var removed = await routed.Admin.DeleteAsync($"/v1/teams/{routed.TeamId}/members/{routed.Operators[0].PersonId}", Ct))
            removed.IsSuccessStatusCode.ShouldBeTrue();
        await heard();

        // The operator still has room, but is no longer in the team; the other member is not online.
        var second = await OpenAsync(agentOnB);
        second.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        (await DecisionsOf(routed, second)).ShouldContain(why => why.Contains("nobody in Billing can take it now: 1 not online"));
    }

    static async Task<JsonElement> OpenAsync(HttpClient agent)
    {
        var request = EscalationScenarios.SampleRequest();
        request["reason"] = "refund_dispute";
        return await agent.OpenEscalationAsync(request);
    }

    static async Task<string[]> DecisionsOf(RoutedTenant routed, JsonElement opened) =>
        [.. (await routed.Admin.GetEscalationAsync(opened.GetProperty("id").GetString()!)).GetProperty("routing").GetProperty("decisions")
            .EnumerateArray().Select(d => d.GetProperty("why").GetString()!)];

    /// <summary>Call before a change on the first node; the task it returns ends once the second node has heard of a change since.</summary>
    Func<Task> SecondHeard()
    {
        var cache = _nodes.Second.Services.GetRequiredService<RoutingSetupCache>();
        var before = cache.Generation;
        return () => Eventually.HappensAsync(() => Task.FromResult(cache.Generation > before), TimeSpan.FromSeconds(10), "the change's notification at the second node");
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
