namespace AwaitHuman.Client;

// Every enum starts with Unknown: a value a newer server sends reads as Unknown instead of failing
// the whole response (see TolerantEnumConverter), so an agent keeps working across server upgrades.

/// <summary>What the agent asks the human for.</summary>
public enum EscalationKind
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>The human takes the conversation over, then hands it back.</summary>
    Handoff,
    /// <summary>The human approves, edits or denies an action the agent proposes.</summary>
    Approval,
    /// <summary>The human answers a question; the agent keeps the conversation.</summary>
    Question,
}

/// <summary>Where an escalation is in its life.</summary>
public enum EscalationStatus
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>Opened; no operator has claimed it yet.</summary>
    WaitingForHuman,
    /// <summary>An operator owns it.</summary>
    WithHuman,
    /// <summary>A human resolved it; the hand-back is there.</summary>
    Resolved,
    /// <summary>The agent (or someone) cancelled it.</summary>
    Cancelled,
    /// <summary>Its deadline passed before a human resolved it.</summary>
    TimedOut,
}

/// <summary>Who controls the conversation.</summary>
public enum OwnerType
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>The agent.</summary>
    Ai,
    /// <summary>A human operator.</summary>
    Human,
}

/// <summary>How urgent an escalation is; routing and SLAs use it.</summary>
public enum EscalationPriority
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>Low.</summary>
    Low,
    /// <summary>Normal (the server's default).</summary>
    Normal,
    /// <summary>High.</summary>
    High,
    /// <summary>Urgent.</summary>
    Urgent,
}

/// <summary>A channel that reaches the end customer.</summary>
public enum CustomerChannel
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>WhatsApp.</summary>
    Whatsapp,
    /// <summary>SMS.</summary>
    Sms,
    /// <summary>Email.</summary>
    Email,
    /// <summary>The web chat widget.</summary>
    Webchat,
    /// <summary>Through the agent itself: the operator's replies go back to the agent to relay.</summary>
    Agent,
}

/// <summary>Who said a transcript entry.</summary>
public enum MessageRole
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>The end customer.</summary>
    Customer,
    /// <summary>The AI agent.</summary>
    Agent,
    /// <summary>A tool the agent called.</summary>
    Tool,
    /// <summary>The system (prompts, notices).</summary>
    System,
    /// <summary>A human operator (set by the server; agents cannot send it).</summary>
    Operator,
}

/// <summary>Where a draft reply the agent proposed stands.</summary>
public enum DraftStatus
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>Waiting for an operator.</summary>
    Proposed,
    /// <summary>Sent as proposed.</summary>
    Approved,
    /// <summary>Sent after the operator changed it (see <see cref="Draft.FinalContent"/>).</summary>
    Edited,
    /// <summary>Not sent.</summary>
    Rejected,
}

/// <summary>How an escalation ended, as the agent learns it from the hand-back.</summary>
public enum HandBackOutcome
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>A human resolved the case.</summary>
    Resolved,
    /// <summary>The proposed action was approved as it was.</summary>
    Approved,
    /// <summary>The proposed action was denied.</summary>
    Denied,
    /// <summary>The proposed action was approved with changed arguments.</summary>
    Edited,
    /// <summary>The question was answered.</summary>
    Answered,
    /// <summary>The deadline passed.</summary>
    TimedOut,
    /// <summary>The escalation was cancelled.</summary>
    Cancelled,
    /// <summary>No operator was available to take it.</summary>
    NoOperatorAvailable,
}

/// <summary>An operator's decision on an approval escalation.</summary>
public enum ApprovalDecisionType
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,
    /// <summary>Run the action as proposed.</summary>
    Accept,
    /// <summary>Run the action with the operator's arguments.</summary>
    Edit,
    /// <summary>Do not run the action; say the operator's response instead.</summary>
    Respond,
    /// <summary>Do not run the action.</summary>
    Deny,
}
