using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;
using AwaitHuman.TestNode;

namespace AwaitHuman.Server.Tests.Hosting;

public sealed record NodeStamp(long Seq, string Node);

/// <summary>Reads what <see cref="NodeStampProjection"/> wrote, and the events it should have covered.</summary>
public sealed class NodeStampLedger(string connectionString)
{
    public static async Task<NodeStampLedger> CreateAsync(string connectionString)
    {
        var ledger = new NodeStampLedger(connectionString);
        await Sql.ExecuteAsync(connectionString, NodeStampProjection.CreateTable);
        return ledger;
    }

    public async Task<List<NodeStamp>> WaitForAsync(int expected, TimeSpan timeout)
    {
        await Eventually.HappensAsync(async () => (await ReadAsync()).Count >= expected, timeout, $"{expected} events projected");
        return await ReadAsync();
    }

    public Task<List<NodeStamp>> ReadAsync() =>
        Sql.QueryAsync(connectionString, "select seq, node from public.node_stamps", reader => new NodeStamp(reader.GetInt64(0), reader.GetString(1)));

    public Task<List<long>> EventSequencesAsync() =>
        Sql.QueryAsync(connectionString, $"select seq_id from {CritterStack.DocumentSchema}.mt_events order by seq_id", reader => reader.GetInt64(0));

    /// <summary>Every event applied exactly once: none repeated, none skipped.</summary>
    public async Task ShouldCoverEveryEventOnceAsync(IReadOnlyCollection<NodeStamp> stamps)
    {
        stamps.GroupBy(s => s.Seq).Where(g => g.Count() > 1).ShouldBeEmpty("no event is applied twice");
        stamps.Select(s => s.Seq).Order().ToList().ShouldBe(await EventSequencesAsync(), "no event is skipped");
    }
}
