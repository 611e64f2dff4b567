using System.Text.Json.Nodes;

namespace AwaitHuman.Client;

/// <summary>What a human hands back to the agent when an escalation ends: the agent acts on this.</summary>
public sealed record HandBack
{
    /// <summary>How it ended.</summary>
    public HandBackOutcome Outcome { get; init; }

    /// <summary>The operator's resolution: a summary, instructions and structured fields.</summary>
    public Resolution? Resolution { get; init; }

    /// <summary>For an approval escalation: the decision on the proposed action.</summary>
    public ApprovalDecision? Decision { get; init; }

    /// <summary>The messages added while a human owned the conversation, so the agent can catch up.</summary>
    public IReadOnlyList<TranscriptEntry> TranscriptDelta { get; init; } = [];

    /// <summary>Who controls the conversation from now on (the agent).</summary>
    public OwnerType Owner { get; init; }

    /// <summary>Things the agent must not claim to the customer (e.g. "the refund was issued").</summary>
    public IReadOnlyList<string> MustNotClaim { get; init; } = [];

    /// <summary>Who ended it; null when the system did (a timeout).</summary>
    public Actor? DecidedBy { get; init; }

    /// <summary>When it was handed back.</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>An operator's resolution of the case.</summary>
public sealed record Resolution
{
    /// <summary>What happened, in a few sentences.</summary>
    public string? Summary { get; init; }

    /// <summary>What the agent should do next.</summary>
    public string? InstructionsForAgent { get; init; }

    /// <summary>Structured results the agent can use (any JSON object).</summary>
    public JsonObject? Fields { get; init; }
}

/// <summary>An operator's decision on the action an approval escalation proposed.</summary>
public sealed record ApprovalDecision
{
    /// <summary>Accept, edit, respond or deny.</summary>
    public ApprovalDecisionType Decision { get; init; }

    /// <summary>The arguments to run the action with (for an edit: the operator's changed arguments).</summary>
    public JsonObject? Arguments { get; init; }

    /// <summary>What to tell the customer instead (for a response).</summary>
    public string? Response { get; init; }

    /// <summary>Why the operator decided so.</summary>
    public string? Reason { get; init; }
}
