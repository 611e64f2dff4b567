using System.Diagnostics;
using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>Two nodes on one database of their own: the agent waits on one, the operator resolves on the other.</summary>
public sealed class WaitAcrossNodesTests : IAsyncLifetime
{
    TwoNodes _nodes = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _nodes = await TwoNodes.StartAsync("wait_nodes");

    AwaitHumanApp WaitingNode => _nodes.First;
    AwaitHumanApp ResolvingNode => _nodes.Second;

    [Fact]
    public async Task A_wait_on_one_node_wakes_within_a_second_of_a_resolve_on_another()
    {
        var tenant = await ResolvingNode.NewTenantAsync();
        var member = await ResolvingNode.NewMemberAsync(tenant, "operator");
        var agent = WaitingNode.CreateHttpClient(tenant.ApiKey);
        var human = ResolvingNode.CreateHttpClient(member.Token);

        for (var round = 0; round < 3; round++)
        {
            var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;
            await human.ActOkAsync(id, "claim");
            var waiting = agent.GetAsync($"/v1/escalations/{id}/wait?timeout_seconds=30", Ct);
            await Task.Delay(300, Ct);
            waiting.IsCompleted.ShouldBeFalse();

            await human.ActOkAsync(id, "resolve", new { outcome = "resolved", resolution = new { summary = $"Round {round}" } });
            var resolvedAt = Stopwatch.GetTimestamp();
            using var response = await waiting;
            var woke = Stopwatch.GetElapsedTime(resolvedAt);

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.JsonAsync()).GetProperty("hand_back").GetProperty("resolution").GetProperty("summary").GetString().ShouldBe($"Round {round}");
            woke.ShouldBeLessThan(TimeSpan.FromSeconds(1));
        }
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
