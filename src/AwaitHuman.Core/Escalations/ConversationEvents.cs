namespace AwaitHuman.Core.Escalations;

// What is said on an escalation: the agent's context, the customer's and the operators' messages,
// notes for colleagues and drafts an operator approves before they go out.

/// <summary>The agent added context (its own words, a tool result, a system note) after opening.</summary>
public sealed record AgentContextAppended(Guid EscalationId, TranscriptEntry Entry, DateTimeOffset At);

/// <summary>The end customer wrote; relayed by the agent now, by a channel connector later.</summary>
public sealed record CustomerReplied(Guid EscalationId, TranscriptEntry Entry, DateTimeOffset At);

/// <param name="Route">How it goes to the customer; the connector sends it through the outbox after this event commits.</param>
public sealed record OperatorReplied(Guid EscalationId, TranscriptEntry Entry, Guid? DraftId, DateTimeOffset LeaseExpiresAt, DateTimeOffset At, ReplyRoute? Route = null);

/// <summary>
/// The platform itself wrote to the customer on their channel (the routing rule's acknowledgement,
/// "we will reply by ..."); sent and tracked like an operator's reply, owned by nobody.
/// </summary>
/// <param name="Route">How it goes to the customer; the connector sends it through the outbox after this event commits.</param>
public sealed record AutomaticMessageSent(Guid EscalationId, TranscriptEntry Entry, ReplyRoute Route, DateTimeOffset At);

public sealed record NoteAdded(Guid EscalationId, Guid NoteId, string Body, Participant Author, DateTimeOffset At);

public sealed record DraftProposed(Guid EscalationId, Guid DraftId, string Content, Participant ProposedBy, DateTimeOffset At);

public sealed record DraftApproved(Guid EscalationId, Guid DraftId, Participant Operator, DateTimeOffset At);

public sealed record DraftEdited(Guid EscalationId, Guid DraftId, string EditedContent, Participant Operator, DateTimeOffset At);

public sealed record DraftRejected(Guid EscalationId, Guid DraftId, string? Reason, Participant Operator, DateTimeOffset At);
