using AwaitHuman.Server.Hosting;
using AwaitHuman.TestNode;
using AwaitHuman.Testing;
using Npgsql;

namespace AwaitHuman.Server.Tests.Hosting;

public sealed record NodeStamp(long Seq, string Node);

/// <summary>Reads what <see cref="NodeStampProjection"/> wrote, and the events it should have covered.</summary>
public sealed class NodeStampLedger(string connectionString)
{
    public static async Task<NodeStampLedger> CreateAsync(string connectionString)
    {
        var ledger = new NodeStampLedger(connectionString);
        await ledger.QueryAsync(NodeStampProjection.CreateTable, _ => 0);
        return ledger;
    }

    public async Task<List<NodeStamp>> WaitForAsync(int expected, TimeSpan timeout)
    {
        await Eventually.HappensAsync(async () => (await ReadAsync()).Count >= expected, timeout, $"{expected} events projected");
        return await ReadAsync();
    }

    public Task<List<NodeStamp>> ReadAsync() =>
        QueryAsync("select seq, node from public.node_stamps", reader => new NodeStamp(reader.GetInt64(0), reader.GetString(1)));

    public Task<List<long>> EventSequencesAsync() =>
        QueryAsync($"select seq_id from {CritterStack.DocumentSchema}.mt_events order by seq_id", reader => reader.GetInt64(0));

    async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>Every event applied exactly once: none repeated, none skipped.</summary>
    public async Task ShouldCoverEveryEventOnceAsync(IReadOnlyCollection<NodeStamp> stamps)
    {
        stamps.GroupBy(s => s.Seq).Where(g => g.Count() > 1).ShouldBeEmpty("no event is applied twice");
        stamps.Select(s => s.Seq).Order().ToList().ShouldBe(await EventSequencesAsync(), "no event is skipped");
    }
}
