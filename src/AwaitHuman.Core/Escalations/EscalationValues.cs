using System.Text.Json;

namespace AwaitHuman.Core.Escalations;

// The values escalation events carry: who acted, the customer, transcript lines, what the agent
// asked for and what it gets back. All immutable, so a copy of the escalation may share them.

/// <summary>Who did something on an escalation, as shown to agents and operators (no addresses).</summary>
/// <param name="Kind"><c>person</c> for operators; a credential type (<c>api_key</c>, <c>oauth_client</c>) for agents; <c>system</c>.</param>
public sealed record Participant(string Kind, string? Id, string Name)
{
    public static Participant System { get; } = new("system", null, "AwaitHuman");
}

public sealed record Customer(string? Name, string? Email, string? Phone, string? Whatsapp, string? PreferredChannel, string? Locale);

/// <param name="Role"><c>customer</c>, <c>agent</c>, <c>tool</c>, <c>system</c> or <c>operator</c>.</param>
/// <param name="Channel">The channel it travelled over, when it did (<c>agent</c> until connectors send).</param>
/// <param name="Html">Sanitised HTML of an email, for display beside the plain text.</param>
/// <param name="Attachments">Files the customer sent, read at <c>/v1/escalations/{id}/attachments/{attachment_id}</c>.</param>
public sealed record TranscriptEntry(
    Guid Id, string Role, string Content, DateTimeOffset At, Participant? Author = null, string? Channel = null,
    string? Html = null, AttachmentInfo[]? Attachments = null);

public sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long Size);

public sealed record ToolCall(string Tool, JsonElement? Input, JsonElement? Output, string? Error);

public sealed record AgentInfo(string? Name, string? Version, ToolCall[]? Trace);

/// <summary>The tool call an agent asks a human to approve.</summary>
public sealed record ProposedAction(string Name, JsonElement? Arguments);

public sealed record Resolution(string? Summary, string? InstructionsForAgent, JsonElement? Fields);

/// <param name="Decision"><c>accept</c>, <c>edit</c>, <c>respond</c> or <c>deny</c>.</param>
/// <param name="Arguments">The edited arguments, for <c>edit</c>.</param>
/// <param name="Response">The human's answer instead of running the tool, for <c>respond</c>.</param>
public sealed record ApprovalDecision(string Decision, JsonElement? Arguments, string? Response, string? Reason);

/// <summary>
/// What the agent gets back in every outcome: it owns the conversation again, with what happened
/// while a human had it and what it must no longer say.
/// </summary>
public sealed record HandBack(
    string Outcome,
    Resolution Resolution,
    ApprovalDecision? Decision,
    TranscriptEntry[] TranscriptDelta,
    string[] MustNotClaim,
    Participant? DecidedBy,
    DateTimeOffset At)
{
    public string Owner => EscalationOwner.Ai;
}
