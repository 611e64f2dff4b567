using AwaitHuman.Core.Escalations.Inbox;
using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;

namespace AwaitHuman.Core.Escalations;

/// <summary>
/// Fetching an escalation to append to it. Every commit also advances its inbox summary, an inline
/// projection Marten would otherwise read in a round trip of its own before writing. The summary is
/// read here instead, in the fetch's round trip, into the session's identity map for summaries, where
/// the projection finds it. After an exclusive fetch the summary is read under the stream's lock; after
/// an optimistic one a summary newer than the escalation can only mean a version the commit then refuses.
/// </summary>
public static class EscalationStreams
{
    public static Task<IEventStream<Escalation>> FetchEscalationForExclusiveWritingAsync(this IDocumentSession session, Guid id, CancellationToken ct) =>
        FetchAsync(session, id, exclusive: true, ct);

    public static Task<IEventStream<Escalation>> FetchEscalationForWritingAsync(this IDocumentSession session, Guid id, CancellationToken ct) =>
        FetchAsync(session, id, exclusive: false, ct);

    /// <summary>The same, in a batch of the caller's that reads more.</summary>
    public static Task<IEventStream<Escalation>> FetchEscalationForWriting(this IBatchedQuery batch, IDocumentSession session, Guid id, bool exclusive = false)
    {
        session.UseIdentityMapFor<EscalationSummary>();
        var fetching = exclusive ? batch.Events.FetchForExclusiveWriting<Escalation>(id) : batch.Events.FetchForWriting<Escalation>(id);
        // Queued after the fetch, so it runs after the stream's lock is granted.
        _ = batch.Load<EscalationSummary>(id);
        return fetching;
    }

    static async Task<IEventStream<Escalation>> FetchAsync(IDocumentSession session, Guid id, bool exclusive, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var fetching = batch.FetchEscalationForWriting(session, id, exclusive);
        await batch.Execute(ct);
        return await fetching;
    }
}
