using AwaitHuman.Connectors;

namespace AwaitHuman.Core.Escalations;

// What the escalation records of its messages to the customer. The message itself is an
// OperatorReplied or AutomaticMessageSent event carrying its ReplyRoute; the channel hub sends it and
// appends these after. They live with the escalation, which applies them, rather than with the
// channels that produce them, so the escalation needs nothing from Channels. Marten names stored
// events by class name alone (delivery_accepted, ...), so they load wherever the class lives.

/// <summary>How one operator message reaches the customer: the channel, the tenant's connection serving it, the address.</summary>
/// <param name="To">The customer's address on the channel; null for the agent relay.</param>
/// <param name="Template">Sent instead of free text (WhatsApp outside its 24-hour window).</param>
public record ReplyRoute(string Channel, Guid ConnectionId, string Provider, string? To, MessageTemplate? Template = null);

/// <summary>The provider took the message; <paramref name="ProviderMessageId"/> is how its callbacks name it.</summary>
public sealed record DeliveryAccepted(Guid EscalationId, Guid MessageId, string Provider, string ProviderMessageId, string State, int? Segments, DateTimeOffset At);

/// <summary>A transient failure (429, 5xx, timeout); another attempt is scheduled for <paramref name="NextAttemptAt"/>.</summary>
public sealed record DeliveryDeferred(Guid EscalationId, Guid MessageId, int Attempt, string Error, DateTimeOffset NextAttemptAt, DateTimeOffset At);

/// <summary>The message will not reach the customer this way; <paramref name="Suggestion"/> says what the operator can do instead.</summary>
public sealed record DeliveryFailed(Guid EscalationId, Guid MessageId, string ErrorCode, string Error, string? Suggestion, DateTimeOffset At);

/// <summary>A provider's status callback: sent, delivered, read, failed or undelivered. It may come before <see cref="DeliveryAccepted"/> is recorded.</summary>
public sealed record DeliveryStatusReported(Guid EscalationId, Guid MessageId, string ProviderMessageId, string State, string? ErrorCode, string? ErrorMessage, DateTimeOffset At);

/// <summary>
/// Where one message to the customer stands. States only move up <see cref="DeliveryStates.Rank"/>,
/// so a late <c>sent</c> callback does not undo <c>delivered</c>.
/// </summary>
/// <param name="State"><c>pending</c> until the provider answers, then one of <see cref="DeliveryStates"/>.</param>
public sealed record MessageDelivery(
    Guid MessageId,
    string Channel,
    Guid ConnectionId,
    string? To,
    string State,
    DateTimeOffset UpdatedAt,
    string? Provider = null,
    string? ProviderMessageId = null,
    int? Segments = null,
    int Attempts = 0,
    string? ErrorCode = null,
    string? Error = null,
    string? Suggestion = null,
    DateTimeOffset? NextAttemptAt = null,
    MessageTemplate? Template = null)
{
    public const string Pending = "pending";

    /// <summary>Whether the provider has the message (or said no for good): a repeated send must not go out again.</summary>
    public bool IsSettled => ProviderMessageId is not null || DeliveryStates.Rank(State) > 0;

    public MessageDelivery Reach(string state, DateTimeOffset at) =>
        DeliveryStates.Rank(state) > DeliveryStates.Rank(State) ? this with { State = state, UpdatedAt = at } : this;
}
