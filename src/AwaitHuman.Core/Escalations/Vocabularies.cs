namespace AwaitHuman.Core.Escalations;

// The words of the escalation's API and events, as they appear on the wire.

public static class EscalationKinds
{
    public const string Handoff = "handoff";
    public const string Approval = "approval";
    public const string Question = "question";
    public static readonly string[] All = [Handoff, Approval, Question];
}

public static class EscalationStatuses
{
    public const string WaitingForHuman = "waiting_for_human";
    public const string WithHuman = "with_human";
    public const string Resolved = "resolved";
    public const string Cancelled = "cancelled";
    public const string TimedOut = "timed_out";
    public static readonly string[] All = [WaitingForHuman, WithHuman, Resolved, Cancelled, TimedOut];
    public static bool IsFinal(string status) => status is Resolved or Cancelled or TimedOut;
}

public static class EscalationOwner
{
    public const string Ai = "ai";
    public const string Human = "human";
}

public static class Outcomes
{
    public const string Resolved = "resolved";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Edited = "edited";
    public const string Answered = "answered";
    public const string TimedOut = "timed_out";
    public const string Cancelled = "cancelled";
    public const string NoOperatorAvailable = "no_operator_available";
}

public static class Priorities
{
    public static readonly string[] All = ["low", "normal", "high", "urgent"];
}

public static class TranscriptRoles
{
    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Tool = "tool";
    public const string System = "system";
    public const string Operator = "operator";
    /// <summary>What an agent may send; <c>operator</c> lines only come from people.</summary>
    public static readonly string[] FromAgent = [Customer, Agent, Tool, System];
}

public static class DraftStatuses
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";
    public const string Edited = "edited";
    public const string Rejected = "rejected";
}
