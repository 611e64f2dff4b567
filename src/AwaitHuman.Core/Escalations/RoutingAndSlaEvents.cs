namespace AwaitHuman.Core.Escalations;

// Routing and SLA decisions, each with its reason in words, e.g.
// "routed by rule 3 v7: priority=urgent and reason=refund_dispute".

/// <summary>Routing decided which team (if any) the escalation belongs to, by which rule of which version.</summary>
public sealed record EscalationRouted(Guid EscalationId, Guid? TeamId, string? TeamName, int RuleVersion, int? RulePosition, string Why, DateTimeOffset At);

public sealed record EscalationPriorityChanged(Guid EscalationId, string From, string To, string Why, DateTimeOffset At);

/// <summary>An SLA policy now runs on the escalation, with its ladder as it was when applied.</summary>
public sealed record SlaApplied(Guid EscalationId, Guid PolicyId, string PolicyName, DateTimeOffset FirstResponseDueAt, DateTimeOffset? ResolutionDueAt, SlaLadderStep[] Ladder, string Why, DateTimeOffset At);

/// <summary>One rung of an applied SLA ladder: when it is due and what it does.</summary>
public sealed record SlaLadderStep(DateTimeOffset DueAt, string Action, Guid? TeamId);

/// <summary>The customer is told when to expect a human; a channel connector sends it (message <c>AcknowledgeCustomer</c>).</summary>
public sealed record CustomerAcknowledged(Guid EscalationId, string Channel, string Message, DateTimeOffset ReplyBy, DateTimeOffset At);

public sealed record PeopleNotified(Guid EscalationId, Guid[] PersonIds, string Why, DateTimeOffset At);

/// <param name="Target"><c>first_response</c> or <c>resolution</c>.</param>
public sealed record SlaBreached(Guid EscalationId, Guid PolicyId, string Target, DateTimeOffset DueAt, DateTimeOffset At);
