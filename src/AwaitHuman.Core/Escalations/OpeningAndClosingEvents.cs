using System.Text.Json;

namespace AwaitHuman.Core.Escalations;

// How an escalation begins and ends. Each event carries the escalation id and when it happened; the
// public feed (EscalationFeed) and the read models are built from them. Every ending hands the
// conversation back to the agent with a HandBack.

public sealed record EscalationOpened(
    Guid EscalationId,
    string Kind,
    string Reason,
    string? Summary,
    double? Confidence,
    string Priority,
    string? ExternalRef,
    Customer Customer,
    TranscriptEntry[] Transcript,
    AgentInfo? Agent,
    string? Question,
    ProposedAction? Action,
    JsonElement? Metadata,
    DateTimeOffset? DeadlineAt,
    Participant OpenedBy,
    DateTimeOffset At);

/// <summary>The operator's answer to an approval request; it ends the escalation with <see cref="HandBack"/>.</summary>
public sealed record ApprovalDecided(Guid EscalationId, ApprovalDecision Decision, HandBack HandBack, DateTimeOffset At);

public sealed record EscalationResolved(Guid EscalationId, HandBack HandBack, DateTimeOffset At);

public sealed record EscalationCancelled(Guid EscalationId, HandBack HandBack, DateTimeOffset At);

/// <summary>Nobody answered in time; reported to the agent as <c>timed_out</c> (or <c>no_operator_available</c>), never as a denial.</summary>
public sealed record EscalationTimedOut(Guid EscalationId, HandBack HandBack, DateTimeOffset At);

public sealed record EscalationReopened(Guid EscalationId, string? Reason, Participant By, DateTimeOffset At);
