using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Mcp;

namespace AwaitHuman.Core.Tests.Escalations.Mcp;

/// <summary>The words an agent's model reads after each tool call must never let it act on what did not happen.</summary>
public class EscalationProgressTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    static HandBack HandBackOf(string outcome, ApprovalDecision? decision = null) =>
        new(outcome, new Resolution("why", null, null), decision, [], [EscalationRules.NoHumanReview], null, Now);

    [Fact]
    public void While_waiting_an_approval_says_not_to_run_the_action() =>
        EscalationProgress.NextStepFor(EscalationKinds.Approval, EscalationStatuses.WaitingForHuman, null).ShouldContain("do not run the action");

    [Fact]
    public void While_a_human_owns_it_the_agent_must_not_write_to_the_customer() =>
        EscalationProgress.NextStepFor(EscalationKinds.Handoff, EscalationStatuses.WithHuman, null).ShouldContain("do not write to the customer");

    [Fact]
    public void An_edited_approval_points_at_the_edited_arguments()
    {
        var decision = new ApprovalDecision("edit", JsonDocument.Parse("""{"amount": 20}""").RootElement, null, null);
        EscalationProgress.NextStepFor(EscalationKinds.Approval, EscalationStatuses.Resolved, HandBackOf(Outcomes.Edited, decision))
            .ShouldContain("hand_back.decision.arguments");
    }

    [Fact]
    public void A_respond_decision_quotes_the_answer_and_forbids_the_action()
    {
        var decision = new ApprovalDecision("respond", null, "Offer a voucher instead.", null);
        var words = EscalationProgress.NextStepFor(EscalationKinds.Approval, EscalationStatuses.Resolved, HandBackOf(Outcomes.Answered, decision));
        words.ShouldContain("Offer a voucher instead.");
        words.ShouldContain("Do not run the action");
    }

    [Theory]
    [InlineData(Outcomes.TimedOut)]
    [InlineData(Outcomes.NoOperatorAvailable)]
    public void A_timeout_is_never_read_as_an_approval(string outcome)
    {
        var words = EscalationProgress.NextStepFor(EscalationKinds.Approval, EscalationStatuses.TimedOut, HandBackOf(outcome));
        words.ShouldContain("nothing was reviewed or approved");
        words.ShouldContain("must_not_claim");
    }
}
