using System.Diagnostics;
using System.Net;
using AwaitHuman.Testing;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine.Runtime.Agents;
using Wolverine.Tracking;

namespace AwaitHuman.Server.Tests.Hosting;

public record Tick(int Number);

/// <summary>Writes one row per event it applies, naming the node that applied it, so a skipped
/// or doubly applied event shows up as a missing or repeated row.</summary>
public sealed partial class NodeStampProjection(string node) : EventProjection
{
    public void Project(IEvent<Tick> tick, IDocumentOperations operations) =>
        operations.QueueSqlCommand("insert into public.node_stamps (seq, node) values (?, ?)", tick.Sequence, node);
}

/// <summary>
/// Two server nodes on one database, as in production: Wolverine elects one leader, the leader gives
/// the async projection to exactly one node, and when that node stops the other takes it over.
/// </summary>
public sealed class TwoNodesTests : IAsyncLifetime
{
    static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(30);

    string _connectionString = "";
    readonly Dictionary<string, AwaitHumanApp> _nodes = [];

    public async ValueTask InitializeAsync()
    {
        // A database of their own, so the shared test host does not join this cluster of nodes.
        _connectionString = await TestPostgres.CreateDatabaseAsync("two_nodes");
        await ExecuteAsync("create table public.node_stamps (seq bigint not null, node text not null)");
        foreach (var name in new[] { "node-a", "node-b" })
        {
            _nodes[name] = await AwaitHumanApp.StartAsync(_connectionString, services =>
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

        var runner = await WaitForAsync(TakeoverLimit, () =>
        {
            var leaders = _nodes.Where(n => n.Value.Host.GetRuntime().IsLeader()).ToList();
            var runners = _nodes.Where(n => RunsTheProjection(n.Value)).ToList();
            return leaders.Count == 1 && runners.Count == 1 ? runners[0].Key : null;
        }, "exactly one leader and exactly one node running the projection");

        await AppendTicksAsync(_nodes.Values.First(), first: 1, count: 120);
        var before = await WaitForStampsAsync(120, TakeoverLimit);
        before.Select(s => s.Node).Distinct().ShouldBe([runner], "only the assigned node applies events");

        var survivor = _nodes.Keys.Single(name => name != runner);
        var stopped = Stopwatch.StartNew();
        await _nodes[runner].DisposeAsync();
        _nodes.Remove(runner);

        await AppendTicksAsync(_nodes[survivor], first: 121, count: 120);
        var after = await WaitForStampsAsync(240, TakeoverLimit - stopped.Elapsed);
        stopped.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{runner} ran the projection; after it stopped, {survivor} had caught up on all events in {stopped.Elapsed.TotalSeconds:0.0} s.");

        after.Where(s => !before.Contains(s)).Select(s => s.Node).Distinct().ShouldBe([survivor]);
        after.GroupBy(s => s.Seq).Where(g => g.Count() > 1).ShouldBeEmpty("no event is applied twice");
        after.Select(s => s.Seq).Order().ToList().ShouldBe(await EventSequencesAsync(), "no event is skipped");
        _nodes[survivor].Host.GetRuntime().IsLeader().ShouldBeTrue();
        stopped.Elapsed.ShouldBeLessThan(TakeoverLimit);
    }

    static bool RunsTheProjection(AwaitHumanApp node) =>
        node.Host.GetRuntime().Agents.AllRunningAgentUris().Any(uri =>
            uri.Scheme == EventSubscriptionAgentFamily.SchemeName &&
            uri.ToString().Contains("nodestamp", StringComparison.OrdinalIgnoreCase));

    async Task AppendTicksAsync(AwaitHumanApp node, int first, int count)
    {
        // Spread over tenants and streams: the projection daemon serves every tenant of the database.
        var tenants = Enumerable.Range(0, 3).Select(_ => TestTenant.NewId()).ToArray();
        foreach (var batch in Enumerable.Range(first, count).Chunk(10))
        {
            await using var session = node.Store.LightweightSession(tenants[batch[0] % tenants.Length]);
            session.Events.StartStream(Guid.CreateVersion7(), batch.Select(n => (object)new Tick(n)).ToArray());
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
    }

    async Task<List<(long Seq, string Node)>> WaitForStampsAsync(int expected, TimeSpan timeout)
    {
        await WaitForAsync(timeout, async () => await CountStampsAsync() >= expected ? true : (bool?)null,
            $"{expected} events projected");
        return await ReadStampsAsync();
    }

    async Task<long> CountStampsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from public.node_stamps", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    async Task<List<(long Seq, string Node)>> ReadStampsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("select seq, node from public.node_stamps", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stamps = new List<(long, string)>();
        while (await reader.ReadAsync()) stamps.Add((reader.GetInt64(0), reader.GetString(1)));
        return stamps;
    }

    async Task<List<long>> EventSequencesAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("select seq_id from awaithuman.mt_events order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync()) sequences.Add(reader.GetInt64(0));
        return sequences;
    }

    async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    static Task<T> WaitForAsync<T>(TimeSpan timeout, Func<T?> probe, string what) where T : class =>
        WaitForAsync(timeout, () => Task.FromResult(probe()), what);

    static async Task<T> WaitForAsync<T>(TimeSpan timeout, Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } result) return result;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(100);
        }
    }

    static async Task WaitForAsync(TimeSpan timeout, Func<Task<bool?>> probe, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (await probe() is null)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values) await node.DisposeAsync();
    }
}
