namespace AwaitHuman.Client;

/// <summary>Filters for listing escalations (<c>GET /v1/escalations</c>); unset filters match everything.</summary>
public sealed record EscalationFilter
{
    /// <summary>Only escalations with this status.</summary>
    public EscalationStatus? Status { get; init; }

    /// <summary>Only escalations with this external reference.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>Only escalations owned by this side.</summary>
    public OwnerType? Owner { get; init; }

    /// <summary>Only escalations routed to this team.</summary>
    public string? Team { get; init; }

    /// <summary>Only escalations with this priority.</summary>
    public EscalationPriority? Priority { get; init; }

    /// <summary>Only escalations with this reason.</summary>
    public string? Reason { get; init; }

    /// <summary>Only escalations whose customer prefers this channel.</summary>
    public CustomerChannel? Channel { get; init; }

    /// <summary>At most this many per page (the server caps it).</summary>
    public int? Limit { get; init; }
}

/// <summary>One page of escalations.</summary>
public sealed record EscalationPage
{
    /// <summary>The escalations on this page.</summary>
    public IReadOnlyList<EscalationSummary> Items { get; init; } = [];

    /// <summary>Pass this to get the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>An escalation as lists show it.</summary>
public sealed record EscalationSummary
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>What the agent asked for.</summary>
    public EscalationKind Kind { get; init; }

    /// <summary>Where it is in its life.</summary>
    public EscalationStatus Status { get; init; }

    /// <summary>Who controls the conversation.</summary>
    public Owner? Owner { get; init; }

    /// <summary>Why the agent gave up.</summary>
    public string? Reason { get; init; }

    /// <summary>The agent's summary.</summary>
    public string? Summary { get; init; }

    /// <summary>How urgent it is.</summary>
    public EscalationPriority Priority { get; init; }

    /// <summary>The agent's own id for the case.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>When it times out.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>When it was opened.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
