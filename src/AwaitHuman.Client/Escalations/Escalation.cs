using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AwaitHuman.Client;

/// <summary>An escalation as the server holds it (<c>GET /v1/escalations/{id}</c>, and the answer of a wait).</summary>
public sealed record Escalation
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>What the agent asked the human for.</summary>
    public EscalationKind Kind { get; init; }

    /// <summary>Where it is in its life.</summary>
    public EscalationStatus Status { get; init; }

    /// <summary>Who controls the conversation now.</summary>
    public Owner? Owner { get; init; }

    /// <summary>Why the agent gave up.</summary>
    public string? Reason { get; init; }

    /// <summary>The agent's summary for the operator.</summary>
    public string? Summary { get; init; }

    /// <summary>The agent's confidence when it escalated.</summary>
    public double? Confidence { get; init; }

    /// <summary>How urgent it is.</summary>
    public EscalationPriority Priority { get; init; }

    /// <summary>The agent's own id for the case.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>The end customer.</summary>
    public Customer? Customer { get; init; }

    /// <summary>Where operators' replies go: the customer's preferred channel, else back through the agent.</summary>
    public CustomerChannel Channel { get; init; }

    /// <summary>The agent and its trace.</summary>
    public AgentInfo? Agent { get; init; }

    /// <summary>The question, for a question escalation.</summary>
    public string? Question { get; init; }

    /// <summary>The proposed action, for an approval escalation.</summary>
    public ProposedAction? Action { get; init; }

    /// <summary>The agent's own JSON.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>When it times out, if it has a deadline.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>When it was opened.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Its version: the number of changes so far.</summary>
    public int Version { get; init; }

    /// <summary>The whole conversation, including what was said while a human owned it.</summary>
    public IReadOnlyList<TranscriptEntry> Transcript { get; init; } = [];

    /// <summary>Operators' internal notes; null when read with an agent's credential (notes are for people only).</summary>
    public IReadOnlyList<Note>? Notes { get; init; }

    /// <summary>Replies the agent proposed, and what operators did with them.</summary>
    public IReadOnlyList<Draft> Drafts { get; init; } = [];

    /// <summary>What the human hands back to the agent; null while the escalation is open.</summary>
    public HandBack? HandBack { get; init; }

    /// <summary>True once a human (or the deadline, or a cancellation) handed control back to the agent.</summary>
    [JsonIgnore]
    [MemberNotNullWhen(true, nameof(HandBack))]
    public bool IsHandedBack => HandBack is not null;
}

/// <summary>The answer to opening an escalation.</summary>
public sealed record CreatedEscalation
{
    /// <summary>The new escalation's id.</summary>
    public Guid Id { get; init; }

    /// <summary>What it asks the human for.</summary>
    public EscalationKind Kind { get; init; }

    /// <summary>Its status (normally <see cref="EscalationStatus.WaitingForHuman"/>).</summary>
    public EscalationStatus Status { get; init; }

    /// <summary>When it was opened.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it times out, if the request set a deadline.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>
    /// A token to wait for the hand-back with (<see cref="AwaitHumanClient.WaitForHumanAsync(string, TimeSpan?, CancellationToken)"/>).
    /// It is given only here: persist it with the agent's state so a restarted agent can resume waiting.
    /// </summary>
    public required string ResumeToken { get; init; }
}

/// <summary>Who controls the conversation.</summary>
public sealed record Owner
{
    /// <summary>The agent or a human.</summary>
    public OwnerType Type { get; init; }

    /// <summary>The operator's id, when a human owns it.</summary>
    public string? PersonId { get; init; }

    /// <summary>The operator's name, when a human owns it.</summary>
    public string? Name { get; init; }

    /// <summary>When the operator's claim lapses unless renewed.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}

/// <summary>Someone who did something: a person, an agent (API key or OAuth client) or the system.</summary>
public sealed record Actor
{
    /// <summary><c>person</c> for operators; the credential type (<c>api_key</c>, <c>oauth_client</c>) for agents; <c>system</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>Its id.</summary>
    public string? Id { get; init; }

    /// <summary>Its display name.</summary>
    public string? Name { get; init; }
}

/// <summary>One message of the conversation.</summary>
public sealed record TranscriptEntry
{
    /// <summary>Its id (set by the server).</summary>
    public Guid? Id { get; init; }

    /// <summary>Who said it.</summary>
    public required MessageRole Role { get; init; }

    /// <summary>What was said.</summary>
    public required string Content { get; init; }

    /// <summary>When it was said; the server's time of receipt when omitted.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Which operator or credential wrote it (set by the server).</summary>
    public Actor? Author { get; init; }

    /// <summary>The channel it travelled over (set by the server).</summary>
    public CustomerChannel? Channel { get; init; }
}

/// <summary>An operator's internal note (never shown to the customer).</summary>
public sealed record Note
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>The note.</summary>
    public string Body { get; init; } = "";

    /// <summary>Who wrote it.</summary>
    public Actor? Author { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>A reply the agent proposed for an operator to approve, edit or reject.</summary>
public sealed record Draft
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>What the agent proposed.</summary>
    public string Content { get; init; } = "";

    /// <summary>Where it stands.</summary>
    public DraftStatus Status { get; init; }

    /// <summary>When the agent proposed it.</summary>
    public DateTimeOffset ProposedAt { get; init; }

    /// <summary>When an operator decided on it.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Who decided.</summary>
    public Actor? DecidedBy { get; init; }

    /// <summary>What was sent, when approved or edited.</summary>
    public string? FinalContent { get; init; }

    /// <summary>Why it was rejected.</summary>
    public string? Reason { get; init; }
}

/// <summary>The answer to proposing a draft.</summary>
public sealed record ProposedDraft
{
    /// <summary>The draft's id.</summary>
    public Guid DraftId { get; init; }

    /// <summary>The escalation it belongs to.</summary>
    public Guid EscalationId { get; init; }
}
