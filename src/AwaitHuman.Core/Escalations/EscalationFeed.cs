using System.Text.Json;
using JasperFx.Events;

namespace AwaitHuman.Core.Escalations;

/// <summary>One escalation event as agents see it, on the event stream and in webhooks.</summary>
/// <param name="Type">E.g. <c>escalation.resolved</c>.</param>
/// <param name="Data">The event itself, serialized in snake_case; terminal events carry the whole hand-back.</param>
public sealed record PublicEvent(string Type, Guid EscalationId, long Version, DateTimeOffset At, object Data);

/// <summary>The names under which escalation events leave the system. Changing one breaks agents.</summary>
public static class EscalationFeed
{
    static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(EscalationOpened)] = "escalation.opened",
        [typeof(AgentContextAppended)] = "escalation.context_appended",
        [typeof(CustomerReplied)] = "escalation.customer_replied",
        [typeof(EscalationClaimed)] = "escalation.claimed",
        [typeof(EscalationReleased)] = "escalation.released",
        [typeof(OperatorReplied)] = "escalation.operator_replied",
        [typeof(NoteAdded)] = "escalation.note_added",
        [typeof(DraftProposed)] = "escalation.draft_proposed",
        [typeof(DraftApproved)] = "escalation.draft_approved",
        [typeof(DraftEdited)] = "escalation.draft_edited",
        [typeof(DraftRejected)] = "escalation.draft_rejected",
        [typeof(ApprovalDecided)] = "escalation.approval_decided",
        [typeof(EscalationResolved)] = "escalation.resolved",
        [typeof(EscalationCancelled)] = "escalation.cancelled",
        [typeof(EscalationTimedOut)] = "escalation.timed_out",
        [typeof(EscalationReopened)] = "escalation.reopened",
        [typeof(AutomaticMessageSent)] = "escalation.automatic_message_sent",
        [typeof(DeliveryAccepted)] = "escalation.delivery_updated",
        [typeof(DeliveryDeferred)] = "escalation.delivery_updated",
        [typeof(DeliveryStatusReported)] = "escalation.delivery_updated",
        [typeof(DeliveryFailed)] = "escalation.delivery_failed",
    };

    public static IReadOnlyCollection<string> EventTypes { get; } = Names.Values.Distinct().ToArray();

    /// <summary>The event classes behind <see cref="EventTypes"/>, for readers that filter the event store.</summary>
    public static IReadOnlyCollection<Type> EventClasses { get; } = Names.Keys.ToArray();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The public form of an event of an escalation stream, or null for events that are not escalation events.</summary>
    public static PublicEvent? Describe(IEvent e) =>
        Names.TryGetValue(e.EventType, out var name) ? new PublicEvent(name, e.StreamId, e.Version, e.Timestamp, e.Data) : null;
}
