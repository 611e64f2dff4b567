using System.Diagnostics;
using AwaitHuman.Testing;
using AwaitHuman.TestNode;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>
/// A node killed outright (SIGKILL, as in a crash or an OOM kill) cannot hand over: the other node
/// must notice its silence, eject it and take its projection over, still applying every event once.
/// </summary>
public sealed class NodeCrashTests : IAsyncLifetime
{
    // Under HotCold (the default) the survivor takes the dead node's locks within seconds; the limit also
    // fits Wolverine-managed distribution, which ejects a silent node after StaleNodeTimeout (15 s) and two
    // 5 s health checks before reassigning its agents: about 20 s measured, 35 s at worst.
    static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(45);

    readonly Dictionary<string, ServerProcess> _nodes = [];
    NodeStampLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("node_crash");
        _ledger = await NodeStampLedger.CreateAsync(connectionString);
        foreach (var name in new[] { "node-a", "node-b" })
        {
            _nodes[name] = await ServerProcess.StartAsync(RepositoryLayout.TestNodeAssembly,
                ["--environment", "Development", "--TestNode:Name", name],
                new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = connectionString },
                TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_survivor_takes_over_the_projection_of_a_killed_node_without_skipping_or_repeating_an_event()
    {
        var runner = await Eventually.GetAsync(async () =>
        {
            var runners = new List<string>();
            foreach (var (name, node) in _nodes)
                if (await RunsTheProjectionAsync(node)) runners.Add(name);
            return runners.Count == 1 ? runners[0] : null;
        }, TimeSpan.FromSeconds(30), "exactly one node running the projection");
        var survivor = _nodes.Keys.Single(name => name != runner);

        await AppendTicksAsync(_nodes[survivor], first: 1, count: 100);
        var before = await _ledger.WaitForAsync(100, TimeSpan.FromSeconds(30));
        before.Select(s => s.Node).Distinct().ShouldBe([runner]);

        var killed = Stopwatch.StartNew();
        await _nodes[runner].KillAsync();
        await AppendTicksAsync(_nodes[survivor], first: 101, count: 100);
        var after = await _ledger.WaitForAsync(200, TakeoverLimit);
        killed.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{runner} was killed; {survivor} had taken over and caught up on all events {killed.Elapsed.TotalSeconds:0.0} s later.");

        after.Except(before).Select(s => s.Node).Distinct().ShouldBe([survivor]);
        await _ledger.ShouldCoverEveryEventOnceAsync(after);
        (await RunsTheProjectionAsync(_nodes[survivor])).ShouldBeTrue();
    }

    static async Task<bool> RunsTheProjectionAsync(ServerProcess node) =>
        (await ProjectionFailover.RunningShardsAsync(node, TestContext.Current.CancellationToken)).Any(NodeStampProjection.IsItsShard);

    static async Task AppendTicksAsync(ServerProcess node, int first, int count)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        using var response = await client.PostAsync($"/test-node/ticks?first={first}&count={count}", null, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values) await node.DisposeAsync();
    }
}
