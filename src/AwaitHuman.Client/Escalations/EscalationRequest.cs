using System.Text.Json.Nodes;

namespace AwaitHuman.Client;

/// <summary>What an agent sends to open an escalation (<c>POST /v1/escalations</c>).</summary>
public sealed record EscalationRequest
{
    /// <summary>What the agent asks the human for.</summary>
    public required EscalationKind Kind { get; init; }

    /// <summary>Why the agent gave up, as a reason code: lowercase letters, digits, <c>_ - . :</c> (e.g. <c>refund_dispute</c>). Routing and reports group by it.</summary>
    public required string Reason { get; init; }

    /// <summary>The situation in a few sentences, for the operator who picks the case up.</summary>
    public string? Summary { get; init; }

    /// <summary>The agent's own confidence, 0 to 1.</summary>
    public double? Confidence { get; init; }

    /// <summary>How urgent it is; the server's default when omitted.</summary>
    public EscalationPriority? Priority { get; init; }

    /// <summary>The agent's own id for the case (ticket, conversation, order), for finding it again.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>Who the end customer is and how to reach them.</summary>
    public Customer? Customer { get; init; }

    /// <summary>The conversation so far (at most 500 entries: summarise older ones). Roles: customer, agent, tool, system.</summary>
    public IReadOnlyList<TranscriptEntry>? Transcript { get; init; }

    /// <summary>The agent and what it did (tool calls) before escalating.</summary>
    public AgentInfo? Agent { get; init; }

    /// <summary>For <see cref="EscalationKind.Question"/>: what the agent wants answered.</summary>
    public string? Question { get; init; }

    /// <summary>For <see cref="EscalationKind.Approval"/>: the action the agent wants approved.</summary>
    public ProposedAction? Action { get; init; }

    /// <summary>Any other JSON the agent wants to keep with the escalation.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>After this many seconds (10 to 30 days' worth) without a resolution the escalation times out.</summary>
    public int? DeadlineSeconds { get; init; }
}

/// <summary>The end customer of the conversation.</summary>
public sealed record Customer
{
    /// <summary>Their name.</summary>
    public string? Name { get; init; }

    /// <summary>Their email address.</summary>
    public string? Email { get; init; }

    /// <summary>Their phone number (E.164), for SMS.</summary>
    public string? Phone { get; init; }

    /// <summary>Their WhatsApp number (E.164).</summary>
    public string? Whatsapp { get; init; }

    /// <summary>Where the operator should answer them.</summary>
    public CustomerChannel? PreferredChannel { get; init; }

    /// <summary>Their language and region, e.g. <c>de-CH</c>.</summary>
    public string? Locale { get; init; }
}

/// <summary>The agent that escalated, and its trace of tool calls.</summary>
public sealed record AgentInfo
{
    /// <summary>The agent's name.</summary>
    public string? Name { get; init; }

    /// <summary>The agent's version (model, prompt or release).</summary>
    public string? Version { get; init; }

    /// <summary>The tool calls it made, in order.</summary>
    public IReadOnlyList<ToolCall>? Trace { get; init; }
}

/// <summary>One tool call of the agent.</summary>
public sealed record ToolCall
{
    /// <summary>The tool's name.</summary>
    public required string Tool { get; init; }

    /// <summary>What the tool was called with (any JSON).</summary>
    public JsonNode? Input { get; init; }

    /// <summary>What the tool returned (any JSON).</summary>
    public JsonNode? Output { get; init; }

    /// <summary>The error, when the call failed.</summary>
    public string? Error { get; init; }
}

/// <summary>An action the agent wants a human to approve.</summary>
public sealed record ProposedAction
{
    /// <summary>The action's name, e.g. <c>refund</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Its arguments.</summary>
    public JsonObject? Arguments { get; init; }
}
