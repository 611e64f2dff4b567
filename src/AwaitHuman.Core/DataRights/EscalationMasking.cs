using System.Text.Json;
using AwaitHuman.Core.Channels.Receiving;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.Webhooks;
using Marten;

namespace AwaitHuman.Core.DataRights;

/// <summary>That an escalation's events were masked, when and why; retention skips it until it changes again.</summary>
public sealed class MaskedEscalation
{
    public Guid Id { get; set; }
    public DateTimeOffset MaskedAt { get; set; }
    /// <summary><see cref="EscalationMasking.BecauseErased"/> or <see cref="EscalationMasking.BecauseRetention"/>.</summary>
    public string Why { get; set; } = "";
}

public sealed record MaskingResult(int Escalations, int AttachmentsDeleted, int WebhookDeliveriesMasked);

/// <summary>
/// The one masking erasure and retention share: the events in place, then everything read from them
/// (the escalation and inbox documents, the webhook deliveries' bodies) and the attachments' files.
/// </summary>
public static class EscalationMasking
{
    public const string BecauseErased = "erased";
    public const string BecauseRetention = "retention";

    /// <param name="alsoInTheSameCommit">More changes that must commit with the rebuilt documents (the audit event, deletions).</param>
    public static async Task<MaskingResult> MaskAsync(
        IDocumentStore store, string tenantId, Guid[] escalationIds, string why, DateTimeOffset now, CancellationToken ct,
        Action<IDocumentSession>? alsoInTheSameCommit = null)
    {
        await store.Advanced.ApplyEventDataMasking(masking =>
        {
            masking.ForTenant(tenantId);
            foreach (var id in escalationIds) masking.IncludeStream(id);
        }, ct);

        await using var session = store.LightweightSession(tenantId);
        Dictionary<(Guid, long), PublicEvent> published = [];
        foreach (var id in escalationIds)
        {
            if (await session.Events.AggregateStreamAsync<Escalation>(id, token: ct) is { } escalation) session.Store(escalation);
            if (await session.Events.AggregateStreamAsync<EscalationSummary>(id, token: ct) is { } summary) session.Store(summary);
            foreach (var e in await session.Events.FetchStreamAsync(id, token: ct))
                if (EscalationFeed.Describe(e) is { } described) published[(id, e.Version)] = described;
            session.Store(new MaskedEscalation { Id = id, MaskedAt = now, Why = why });
        }

        var attachments = await session.Query<CustomerAttachment>().Where(a => a.EscalationId.IsOneOf(escalationIds)).CountAsync(ct);
        session.DeleteWhere<CustomerAttachment>(a => a.EscalationId.IsOneOf(escalationIds));

        // Operators' idempotent repeats keep the escalation as it was answered, customer and all.
        session.DeleteWhere<OperatorActionResponse>(response => response.Response.Id.IsOneOf(escalationIds));

        var deliveries = await CustomerDataRights.DeliveriesAsync(session, escalationIds, ct);
        foreach (var delivery in deliveries)
        {
            delivery.Body = MaskedBody(delivery, published);
            // What the agent's server answered may quote what it was sent.
            delivery.Attempts = [.. delivery.Attempts.Select(attempt => attempt with { ResponseExcerpt = null })];
            session.Store(delivery);
        }

        alsoInTheSameCommit?.Invoke(session);
        await session.SaveChangesAsync(ct);
        return new MaskingResult(escalationIds.Length, attachments, deliveries.Count);
    }

    /// <summary>The body as the masked event would have been sent; an event no longer found keeps only its envelope.</summary>
    static string MaskedBody(WebhookDelivery delivery, Dictionary<(Guid, long), PublicEvent> published)
    {
        using var sent = JsonDocument.Parse(delivery.Body);
        var root = sent.RootElement;
        long? sequence = root.TryGetProperty("sequence", out var number) && number.TryGetInt64(out var value) ? value : null;
        var at = root.TryGetProperty("timestamp", out var timestamp) && timestamp.TryGetDateTimeOffset(out var time) ? time : delivery.CreatedAt;
        var data = sequence is { } version && delivery.EscalationId is { } escalationId && published.TryGetValue((escalationId, version), out var described)
            ? JsonSerializer.SerializeToElement(described.Data, described.Data.GetType(), EscalationFeed.Json)
            : JsonSerializer.SerializeToElement(new { escalation_id = delivery.EscalationId, erased = true });
        return WebhookDelivery.Envelope(delivery.EventType, at, data, sequence);
    }
}
