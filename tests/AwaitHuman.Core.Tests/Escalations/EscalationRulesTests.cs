using AwaitHuman.Core.Escalations;

namespace AwaitHuman.Core.Tests.Escalations;

public class EscalationRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    static readonly ReplyRoute Sms = new("sms", Guid.NewGuid(), "sandbox", "+4915112345678");
    static readonly Participant Agent = new("api_key", "key-1", "support-bot");
    static readonly Participant Ada = new("person", "ada", "ada@example.com");
    static readonly Participant Bob = new("person", "bob", "bob@example.com");

    static Escalation Opened(string kind = EscalationKinds.Handoff) => Escalation.Create(new EscalationOpened(
        Guid.CreateVersion7(), kind, "refund_dispute", null, 0.4, "high", "conv-1",
        new Customer("Ada", null, null, null, null, null),
        [new TranscriptEntry(Guid.NewGuid(), "customer", "Charged twice", Now)],
        null, kind == EscalationKinds.Question ? "May we?" : null,
        kind == EscalationKinds.Approval ? new ProposedAction("issue_refund", null) : null,
        null, null, Agent, Now));

    static Escalation After(Escalation escalation, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        foreach (var e in decision.Events) escalation.Advance(e);
        return escalation;
    }

    [Fact]
    public void A_claim_gives_one_operator_a_lease()
    {
        var escalation = After(Opened(), EscalationRules.Claim(Opened(), Ada, Now));
        var claimed = EscalationRules.Claim(Opened(), Ada, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<EscalationClaimed>();
        claimed.LeaseExpiresAt.ShouldBe(Now + EscalationRules.Lease);
        escalation.Status.ShouldBe(EscalationStatuses.WithHuman);
    }

    [Fact]
    public void Another_operator_is_refused_while_the_lease_lasts_and_may_take_over_after()
    {
        var escalation = After(Opened(), EscalationRules.Claim(Opened(), Ada, Now));

        var refused = EscalationRules.Claim(escalation, Bob, Now.AddMinutes(1)).Refusal.ShouldNotBeNull();
        refused.Status.ShouldBe(409);
        refused.Owner.ShouldBe(Ada);

        EscalationRules.Claim(escalation, Bob, Now + EscalationRules.Lease + TimeSpan.FromSeconds(1)).Refusal.ShouldBeNull();
    }

    [Fact]
    public void While_a_human_owns_it_the_agent_may_relay_the_customer_but_not_speak()
    {
        var escalation = After(Opened(), EscalationRules.Claim(Opened(), Ada, Now));

        EscalationRules.AppendFromAgent(escalation, TranscriptRoles.Agent, "Hi!", Now, Agent, Now).Refusal!.Owner.ShouldBe(Ada);
        EscalationRules.AppendFromAgent(escalation, TranscriptRoles.Customer, "Hello?", Now, Agent, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<CustomerReplied>();
        EscalationRules.AppendFromAgent(Opened(), TranscriptRoles.Agent, "Still here", Now, Agent, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<AgentContextAppended>();
    }

    [Fact]
    public void Replying_to_an_unowned_escalation_claims_it_first()
    {
        var events = EscalationRules.Reply(Opened(), Ada, "On it", Sms, Now).Events;
        events.Select(e => e.GetType()).ShouldBe([typeof(EscalationClaimed), typeof(OperatorReplied)]);
    }

    [Fact]
    public void The_hand_back_carries_only_what_happened_while_a_human_owned_it()
    {
        var escalation = Opened();
        After(escalation, EscalationRules.Reply(escalation, Ada, "On it", Sms, Now));
        After(escalation, EscalationRules.AppendFromAgent(escalation, TranscriptRoles.Customer, "Thanks", Now, Agent, Now));

        var resolved = EscalationRules.Resolve(escalation, Outcomes.Resolved, new Resolution("Refunded", null, null), [], Ada, false, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<EscalationResolved>();

        resolved.HandBack.TranscriptDelta.Select(line => line.Content).ShouldBe(["On it", "Thanks"]);
        resolved.HandBack.Owner.ShouldBe(EscalationOwner.Ai);
    }

    [Fact]
    public void A_supervisor_may_resolve_what_another_operator_owns_an_operator_may_not()
    {
        var escalation = After(Opened(), EscalationRules.Claim(Opened(), Ada, Now));
        var resolution = new Resolution("Done", null, null);

        EscalationRules.Resolve(escalation, Outcomes.Resolved, resolution, [], Bob, supervises: false, Now).Refusal.ShouldNotBeNull();
        EscalationRules.Resolve(escalation, Outcomes.Resolved, resolution, [], Bob, supervises: true, Now).Refusal.ShouldBeNull();
    }

    [Theory]
    [InlineData("accept", Outcomes.Approved)]
    [InlineData("edit", Outcomes.Edited)]
    [InlineData("respond", Outcomes.Answered)]
    [InlineData("deny", Outcomes.Denied)]
    public void Each_approval_decision_has_its_outcome(string decision, string outcome)
    {
        var events = EscalationRules.DecideApproval(Opened(EscalationKinds.Approval), new ApprovalDecision(decision, null, null, null), Ada, false, Now).Events;
        events.OfType<ApprovalDecided>().Single().HandBack.Outcome.ShouldBe(outcome);
    }

    [Fact]
    public void A_timeout_is_never_a_denial_and_does_nothing_once_finished()
    {
        var escalation = Opened(EscalationKinds.Approval);
        var timedOut = EscalationRules.TimeOut(escalation, Outcomes.TimedOut, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<EscalationTimedOut>();
        timedOut.HandBack.Outcome.ShouldBe(Outcomes.TimedOut);
        timedOut.HandBack.Decision.ShouldBeNull();
        timedOut.HandBack.MustNotClaim.ShouldContain(EscalationRules.NoHumanReview);

        After(escalation, EscalationRules.TimeOut(escalation, Outcomes.TimedOut, Now));
        EscalationRules.TimeOut(escalation, Outcomes.TimedOut, Now.AddMinutes(1)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void Nothing_but_reopening_and_notes_happens_to_a_finished_escalation()
    {
        var escalation = After(Opened(), EscalationRules.Cancel(Opened(), "gone", Agent, Now));

        EscalationRules.Claim(escalation, Ada, Now).Refusal.ShouldNotBeNull();
        EscalationRules.Reply(escalation, Ada, "hi", Sms, Now).Refusal.ShouldNotBeNull();
        EscalationRules.Cancel(escalation, null, Agent, Now).Refusal.ShouldNotBeNull();
        EscalationRules.AddNote(escalation, Guid.NewGuid(), "for the record", Ada, Now).Refusal.ShouldBeNull();
        After(escalation, EscalationRules.Reopen(escalation, "customer wrote again", Ada, Now)).Status.ShouldBe(EscalationStatuses.WaitingForHuman);
    }

    [Theory]
    [InlineData(EscalationKinds.Handoff, Outcomes.Answered)]
    [InlineData(EscalationKinds.Question, Outcomes.Approved)]
    [InlineData(EscalationKinds.Approval, Outcomes.Resolved)]
    public void Each_kind_resolves_only_with_its_own_outcomes(string kind, string outcome) =>
        EscalationRules.Resolve(Opened(kind), outcome, new Resolution("x", null, null), [], Ada, false, Now).Refusal.ShouldNotBeNull();
}
