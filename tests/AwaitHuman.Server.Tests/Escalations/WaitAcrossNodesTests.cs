using System.Diagnostics;
using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>Two nodes on one database of their own: the agent waits on one, the operator resolves on the other.</summary>
public sealed class WaitAcrossNodesTests : IAsyncLifetime
{
    AwaitHumanApp _waitingNode = null!;
    AwaitHumanApp _resolvingNode = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("wait_nodes");
        _waitingNode = await AwaitHumanApp.StartAsync(connectionString);
        _resolvingNode = await AwaitHumanApp.StartAsync(connectionString);
    }

    [Fact]
    public async Task A_wait_on_one_node_wakes_within_a_second_of_a_resolve_on_another()
    {
        var tenant = await _resolvingNode.NewTenantAsync();
        var member = await _resolvingNode.NewMemberAsync(tenant, "operator");
        var agent = _waitingNode.CreateHttpClient(tenant.ApiKey);
        var human = _resolvingNode.CreateHttpClient(member.Token);

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

    public async ValueTask DisposeAsync()
    {
        await _waitingNode.DisposeAsync();
        await _resolvingNode.DisposeAsync();
    }
}
