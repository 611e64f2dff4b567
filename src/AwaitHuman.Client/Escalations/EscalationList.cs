namespace AwaitHuman.Client;

/// <summary>Filters for listing escalations (<c>GET /v1/escalations</c>); unset filters match everything.</summary>
public sealed record EscalationFilter
{
    /// <summary>Only escalations with one of these statuses.</summary>
    public IReadOnlyCollection<EscalationStatus>? Statuses { get; init; }

    /// <summary>Only escalations with this external reference.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>Only escalations owned by <c>ai</c> (nobody has it), <c>human</c> (someone has it), or this person id.</summary>
    public string? Owner { get; init; }

    /// <summary>Only escalations routed to this team.</summary>
    public string? Team { get; init; }

    /// <summary>Only escalations with this priority.</summary>
    public EscalationPriority? Priority { get; init; }

    /// <summary>Only escalations with this reason code.</summary>
    public string? Reason { get; init; }

    /// <summary>Only escalations answered over this channel.</summary>
    public CustomerChannel? Channel { get; init; }

    /// <summary>At most this many per page (1 to 100; the server's default is 25).</summary>
    public int? Limit { get; init; }
}

/// <summary>One page of escalations.</summary>
public sealed record EscalationPage
{
    /// <summary>The escalations on this page, newest first.</summary>
    public IReadOnlyList<EscalationSummary> Items { get; init; } = [];

    /// <summary>Pass this to get the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>One page of any list the API answers (<c>{"items": [...], "next_cursor": ...}</c>).</summary>
public sealed record ListPage<T>
{
    /// <summary>The items on this page, in the list's order.</summary>
    public IReadOnlyList<T> Items { get; init; } = [];

    /// <summary>Pass this back as the cursor to get the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>An escalation as lists show it: no transcript, a preview of its last message.</summary>
public sealed record EscalationSummary
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>What the agent asked for.</summary>
    public EscalationKind Kind { get; init; }

    /// <summary>Where it is in its life.</summary>
    public EscalationStatus Status { get; init; }

    /// <summary>Who controls the conversation.</summary>
    public OwnerType Owner { get; init; }

    /// <summary>The operator who owns it, when one does.</summary>
    public string? OperatorId { get; init; }

    /// <summary>That operator's name.</summary>
    public string? OperatorName { get; init; }

    /// <summary>The team it is routed to.</summary>
    public string? TeamId { get; init; }

    /// <summary>How urgent it is.</summary>
    public EscalationPriority Priority { get; init; }

    /// <summary>Why the agent gave up.</summary>
    public string? Reason { get; init; }

    /// <summary>Where operators' replies go.</summary>
    public CustomerChannel Channel { get; init; }

    /// <summary>The agent's own id for the case.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>The customer's name.</summary>
    public string? CustomerName { get; init; }

    /// <summary>The start of the agent's summary (or question).</summary>
    public string? Summary { get; init; }

    /// <summary>The agent's confidence when it escalated.</summary>
    public double? Confidence { get; init; }

    /// <summary>How many messages the transcript has.</summary>
    public int Messages { get; init; }

    /// <summary>The start of the last message.</summary>
    public string? LastMessage { get; init; }

    /// <summary>When the last message was said.</summary>
    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>How it ended, once it has.</summary>
    public HandBackOutcome? Outcome { get; init; }

    /// <summary>When it times out.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>When it was opened.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
