using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace AwaitHuman.TestNode;

public record Tick(int Number);

/// <summary>
/// Writes one row per event it applies into <c>public.node_stamps</c>, naming the node that applied
/// it, so a skipped or doubly applied event shows up as a missing or repeated row.
/// </summary>
public sealed partial class NodeStampProjection(string node) : EventProjection
{
    public const string CreateTable = "create table if not exists public.node_stamps (seq bigint not null, node text not null)";

    /// <summary>Whether a shard name a node's daemon reports is this projection's.</summary>
    public static bool IsItsShard(string shard) => shard.Contains("NodeStamp", StringComparison.OrdinalIgnoreCase);

    public void Project(IEvent<Tick> tick, IDocumentOperations operations) =>
        operations.QueueSqlCommand("insert into public.node_stamps (seq, node) values (?, ?)", tick.Sequence, node);
}

public static class Ticks
{
    /// <summary>Appends ticks <paramref name="first"/>.. in streams of ten, spread over three new tenants:
    /// the projection daemon serves every tenant of the database.</summary>
    public static async Task AppendAsync(IDocumentStore store, int first, int count, CancellationToken cancellationToken = default)
    {
        var tenants = Enumerable.Range(0, 3).Select(_ => $"test-{Guid.NewGuid():N}").ToArray();
        foreach (var batch in Enumerable.Range(first, count).Chunk(10))
        {
            await using var session = store.LightweightSession(tenants[batch[0] % tenants.Length]);
            session.Events.StartStream(Guid.CreateVersion7(), batch.Select(n => (object)new Tick(n)).ToArray());
            await session.SaveChangesAsync(cancellationToken);
        }
    }
}
