using System.ComponentModel;

namespace AwaitHuman.Core.Escalations.Mcp;

/// <summary>
/// What the opening and waiting tools answer: where the escalation stands and, once a human has
/// finished, the hand-back; <see cref="NextStep"/> says in words what the agent should do now.
/// </summary>
public sealed record EscalationProgress(
    [property: Description("The escalation's id; pass it to wait_for_human or get_escalation.")] Guid Id,
    [property: Description("handoff, question or approval.")] string Kind,
    [property: Description("waiting_for_human, with_human, resolved, cancelled or timed_out.")] string Status,
    [property: Description("Who owns the conversation now: ai (you) or human.")] string Owner,
    [property: Description("Keep it to pick up the wait after a restart (wait_for_human's resume_token). Only on opening.")] string? ResumeToken,
    [property: Description("When the escalation times out if no human finishes it.")] DateTimeOffset? DeadlineAt,
    [property: Description("The human outcome, once there is one: outcome, resolution, decision (approvals), transcript_delta and must_not_claim.")] HandBack? HandBack,
    [property: Description("What to do now, in words.")] string NextStep)
{
    public static EscalationProgress Of(Escalation escalation, string? resumeToken = null) => new(
        escalation.Id, escalation.Kind, escalation.Status, escalation.Owner, resumeToken, escalation.DeadlineAt, escalation.HandBack,
        NextStepFor(escalation.Kind, escalation.Status, escalation.HandBack));

    public static string NextStepFor(string kind, string status, HandBack? handBack) => handBack switch
    {
        null when status == EscalationStatuses.WithHuman =>
            "A human owns the conversation now: do not write to the customer yourself. Call wait_for_human with this id to get the hand-back.",
        null when kind == EscalationKinds.Handoff =>
            "No human has taken it yet. You may tell the customer a person will join shortly, without promising an outcome. Call wait_for_human with this id to get the hand-back.",
        null when kind == EscalationKinds.Approval =>
            "No decision yet: do not run the action. Call wait_for_human with this id to get the decision.",
        null =>
            "No answer yet. Call wait_for_human with this id to get the answer.",
        _ => Outcome(handBack) + " You own the conversation again; never tell the customer anything listed in hand_back.must_not_claim.",
    };

    static string Outcome(HandBack handBack) => handBack.Outcome switch
    {
        Outcomes.Approved => "Approved: run the action with the arguments you proposed.",
        Outcomes.Edited => "Approved with changes: run the action with hand_back.decision.arguments instead of yours.",
        Outcomes.Denied => "Denied: do not run the action; hand_back.resolution.summary says why.",
        Outcomes.Answered when handBack.Decision?.Response is { } response => $"The human answered instead of approving: \"{response}\". Do not run the action; act on the answer.",
        Outcomes.Answered => "The human answered: act on hand_back.resolution (summary, instructions_for_agent, fields).",
        Outcomes.Resolved => "A human resolved it: act on hand_back.resolution (summary, instructions_for_agent, fields) and hand_back.transcript_delta (what was said meanwhile).",
        Outcomes.Cancelled => "The escalation was cancelled; no human decided anything.",
        Outcomes.TimedOut or Outcomes.NoOperatorAvailable => "No human answered in time: nothing was reviewed or approved, so do not act as if it were.",
        _ => $"Outcome: {handBack.Outcome}.",
    };
}
