using System.Diagnostics;
using System.Net;
using AwaitHuman.Testing;
using AwaitHuman.TestNode;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Runtime.Agents;
using Wolverine.Tracking;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>
/// Two server nodes on one database, as in production: Wolverine elects one leader, exactly one node
/// runs the async projection, and when that node stops the other takes both over.
/// </summary>
public sealed class TwoNodesTests : IAsyncLifetime
{
    static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(30);

    readonly Dictionary<string, AwaitHumanApp> _nodes = [];
    NodeStampLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        // A database of their own, so the shared test host does not join this cluster of nodes.
        var connectionString = await TestPostgres.CreateDatabaseAsync("two_nodes");
        _ledger = await NodeStampLedger.CreateAsync(connectionString);
        foreach (var name in new[] { "node-a", "node-b" })
        {
            _nodes[name] = await AwaitHumanApp.StartAsync(connectionString, services =>
                services.ConfigureMarten(opts => opts.Projections.Add(new NodeStampProjection(name), ProjectionLifecycle.Async)));
        }
    }

    [Fact]
    public async Task One_leader_one_projection_runner_and_a_takeover_without_skipping_or_repeating_an_event()
    {
        foreach (var node in _nodes.Values)
        {
            using var client = node.CreateHttpClient();
            (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/v1", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        string runner;
        try
        {
            runner = await Eventually.GetAsync(() =>
            {
                var leaders = _nodes.Where(n => n.Value.Host.GetRuntime().IsLeader()).ToList();
                var runners = _nodes.Where(n => RunsTheProjection(n.Value)).ToList();
                return leaders.Count == 1 && runners.Count == 1 ? runners[0].Key : null;
            }, TakeoverLimit, "exactly one leader and exactly one node running the projection");
        }
        catch (TimeoutException waited)
        {
            throw new TimeoutException($"{waited.Message} {Describe()}", waited);
        }

        await Ticks.AppendAsync(_nodes.Values.First().Store, first: 1, count: 120, TestContext.Current.CancellationToken);
        var before = await _ledger.WaitForAsync(120, TakeoverLimit);
        before.Select(s => s.Node).Distinct().ShouldBe([runner], "only the assigned node applies events");

        var survivor = _nodes.Keys.Single(name => name != runner);
        var stopped = Stopwatch.StartNew();
        await _nodes[runner].DisposeAsync();
        _nodes.Remove(runner);

        await Ticks.AppendAsync(_nodes[survivor].Store, first: 121, count: 120, TestContext.Current.CancellationToken);
        var after = await _ledger.WaitForAsync(240, TakeoverLimit - stopped.Elapsed);
        stopped.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{runner} ran the projection; after it stopped, {survivor} had caught up on all events in {stopped.Elapsed.TotalSeconds:0.0} s.");

        after.Except(before).Select(s => s.Node).Distinct().ShouldBe([survivor]);
        await _ledger.ShouldCoverEveryEventOnceAsync(after);
        stopped.Elapsed.ShouldBeLessThan(TakeoverLimit);
        // Under HotCold the projection's runner need not be the leader, so leadership may follow a little later.
        await Eventually.HappensAsync(() => Task.FromResult(_nodes[survivor].Host.GetRuntime().IsLeader()), TakeoverLimit, $"{survivor} to lead");
    }

    static bool RunsTheProjection(AwaitHumanApp node) =>
        RunningShards(node).Any(NodeStampProjection.IsItsShard);

    static IEnumerable<string> RunningShards(AwaitHumanApp node)
    {
        try
        {
            return node.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase().CurrentAgents()
                .Where(agent => agent.Status == AgentStatus.Running).Select(agent => agent.Name.Identity).ToList();
        }
        catch (DaemonNotRunningOnThisNodeException)
        {
            // Under Wolverine's distribution a node the leader gave no projection has no daemon to ask.
            return [];
        }
    }

    string Describe() => string.Join("; ", _nodes.Select(n =>
        $"{n.Key}: leader {n.Value.Host.GetRuntime().IsLeader()}, runs [{string.Join(", ", RunningShards(n.Value))}]"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values) await node.DisposeAsync();
    }
}
