namespace AwaitHuman.Core.Escalations;

// Who holds the escalation: people claim and release it; assignment gives, offers, queues and takes
// it back. The system's decisions carry their reason in words (Why).

public sealed record EscalationClaimed(Guid EscalationId, Participant Operator, DateTimeOffset LeaseExpiresAt, DateTimeOffset At);

public sealed record EscalationReleased(Guid EscalationId, Participant Operator, DateTimeOffset At);

/// <summary>The system gave an operator ownership, as a claim would, with the lease of a claim.</summary>
public sealed record EscalationAssigned(Guid EscalationId, Participant Operator, Guid? TeamId, DateTimeOffset LeaseExpiresAt, string Why, DateTimeOffset At);

/// <summary>The system offered it to an operator, who accepts (a claim) before it expires.</summary>
public sealed record EscalationOffered(Guid EscalationId, Participant Operator, Guid? TeamId, DateTimeOffset OfferExpiresAt, string Why, DateTimeOffset At);

/// <summary>The offer ended without acceptance: declined or expired.</summary>
public sealed record EscalationOfferWithdrawn(Guid EscalationId, Participant Operator, string Why, DateTimeOffset At);

/// <summary>Nobody could take it now; it waits in the team's queue.</summary>
public sealed record EscalationQueued(Guid EscalationId, Guid? TeamId, string Why, DateTimeOffset At);

/// <summary>The system took it from its owner (offline, lease expired, SLA step) to give it to someone else.</summary>
public sealed record EscalationUnassigned(Guid EscalationId, Participant Operator, string Why, DateTimeOffset At);

/// <summary>A person moved it to another team or person.</summary>
public sealed record EscalationTransferred(Guid EscalationId, Guid? ToTeamId, string? ToTeamName, Participant? ToOperator, string? Note, Participant By, string Why, DateTimeOffset At);

/// <summary>An SLA step let another team's members take it too.</summary>
public sealed record EscalationWidened(Guid EscalationId, Guid TeamId, string TeamName, string Why, DateTimeOffset At);
