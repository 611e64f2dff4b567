using AwaitHuman.Connectors;

namespace AwaitHuman.Core.Escalations;

/// <summary>Why a command was refused; endpoints turn it into a problem response.</summary>
/// <param name="Owner">Who owns the escalation, when that is why.</param>
public sealed record Refusal(int Status, string Detail, Participant? Owner = null, DateTimeOffset? LeaseExpiresAt = null)
{
    public static Refusal Conflict(string detail) => new(409, detail);
    public static Refusal NotFound(string detail) => new(404, detail);
    public static Refusal Forbidden(string detail) => new(403, detail);
}

/// <summary>The events a command produces, or why it may not happen.</summary>
public sealed record Decision(object[] Events, Refusal? Refusal)
{
    public static Decision Of(params object[] events) => new(events, null);
    public static Decision Refuse(Refusal refusal) => new([], refusal);
    public static implicit operator Decision(Refusal refusal) => Refuse(refusal);
}

/// <summary>
/// The escalation's rules as deciders: given the current state, the command's data and now, the
/// events to append. Ownership is enforced here: while a human owns it, only they (or a supervisor)
/// act for the humans, and the agent may not talk to the customer.
/// </summary>
public static class EscalationRules
{
    /// <summary>How long a claim lasts without activity; every reply renews it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    /// <summary>The longest text anyone writes into an escalation: a question, a transcript line, a reply, a summary.</summary>
    public const int MaxContentLength = 32_000;

    /// <summary>A documented limit: longer conversations should be summarised by the agent.</summary>
    public const int MaxTranscriptEntries = 500;

    public const int MaxTraceEntries = 200;

    public const int MaxDeadlineSeconds = 30 * 24 * 3600;

    /// <summary>What an agent must not tell the customer after a human outcome it did not get.</summary>
    public const string NoHumanReview = "that a human reviewed or approved this request";

    public static Decision AppendFromAgent(Escalation escalation, string role, string content, DateTimeOffset at, Participant agent, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Final(escalation);
        if (role == TranscriptRoles.Agent && escalation.Status == EscalationStatuses.WithHuman)
            return OwnedBy(escalation, $"{escalation.Operator!.Name} owns this conversation; the agent may not post to the customer until it is handed back.");

        var entry = new TranscriptEntry(Guid.CreateVersion7(now), role, content, at, agent, ChannelKinds.Agent);
        return role == TranscriptRoles.Customer
            ? Decision.Of(new CustomerReplied(escalation.Id, entry, now))
            : Decision.Of(new AgentContextAppended(escalation.Id, entry, now));
    }

    public static Decision ProposeDraft(Escalation escalation, Guid draftId, string content, Participant agent, DateTimeOffset now) =>
        escalation.IsFinal ? Final(escalation) : Decision.Of(new DraftProposed(escalation.Id, draftId, content, agent, now));

    public static Decision Cancel(Escalation escalation, string? reason, Participant agent, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Final(escalation);
        var handBack = HandBackOf(escalation, Outcomes.Cancelled, new Resolution(reason, null, null), null, [NoHumanReview], agent, now);
        return Decision.Of(new EscalationCancelled(escalation.Id, handBack, now));
    }

    /// <summary>Deadline reached: reported honestly as a timeout, never as a denial.</summary>
    public static Decision TimeOut(Escalation escalation, string outcome, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Decision.Of();
        var handBack = HandBackOf(escalation, outcome,
            new Resolution(outcome == Outcomes.NoOperatorAvailable ? "No operator was available before the deadline." : "No human answered before the deadline.", null, null),
            null, [NoHumanReview], Participant.System, now);
        return Decision.Of(new EscalationTimedOut(escalation.Id, handBack, now));
    }

    public static Decision Claim(Escalation escalation, Participant person, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Final(escalation);
        if (HeldByAnother(escalation, person, now)) return OwnedBy(escalation, $"{escalation.Operator!.Name} owns this escalation.");
        return Decision.Of(new EscalationClaimed(escalation.Id, person, now + Lease, now));
    }

    public static Decision Release(Escalation escalation, Participant person, bool supervises, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Final(escalation);
        if (escalation.Status != EscalationStatuses.WithHuman) return Refusal.Conflict("Nobody owns this escalation.");
        if (!IsOwner(escalation, person) && !supervises && HeldByAnother(escalation, person, now))
            return OwnedBy(escalation, $"{escalation.Operator!.Name} owns this escalation; only they or a supervisor can release it.");
        return Decision.Of(new EscalationReleased(escalation.Id, escalation.Operator!, now));
    }

    /// <param name="route">How it reaches the customer, chosen and checked against the channel's rules beforehand.</param>
    public static Decision Reply(Escalation escalation, Participant person, string content, ReplyRoute route, DateTimeOffset now) =>
        ActAsOwner(escalation, person, supervises: false, now, () =>
            [new OperatorReplied(escalation.Id, OperatorLine(person, content, route, now), null, now + Lease, now, route)]);

    public static Decision AddNote(Escalation escalation, Guid noteId, string body, Participant person, DateTimeOffset now) =>
        Decision.Of(new NoteAdded(escalation.Id, noteId, body, person, now));

    /// <summary>An approved draft is sent as the operator's reply; with other text it counts as edited.</summary>
    public static Decision ApproveDraft(Escalation escalation, Guid draftId, string? editedContent, Participant person, ReplyRoute route, DateTimeOffset now)
    {
        if (FindOpenDraft(escalation, draftId) is { Refusal: { } refusal }) return refusal;
        var draft = escalation.Drafts.Single(d => d.Id == draftId);
        var edited = editedContent is not null && editedContent != draft.Content;
        var text = edited ? editedContent! : draft.Content;
        return ActAsOwner(escalation, person, supervises: false, now, () =>
        [
            edited ? new DraftEdited(escalation.Id, draftId, text, person, now) : new DraftApproved(escalation.Id, draftId, person, now),
            new OperatorReplied(escalation.Id, OperatorLine(person, text, route, now), draftId, now + Lease, now, route),
        ]);
    }

    public static Decision RejectDraft(Escalation escalation, Guid draftId, string? reason, Participant person, DateTimeOffset now)
    {
        if (FindOpenDraft(escalation, draftId) is { Refusal: { } refusal }) return refusal;
        return Decision.Of(new DraftRejected(escalation.Id, draftId, reason, person, now));
    }

    public static readonly IReadOnlyDictionary<string, string> OutcomeOfDecision = new Dictionary<string, string>
    {
        ["accept"] = Outcomes.Approved,
        ["edit"] = Outcomes.Edited,
        ["respond"] = Outcomes.Answered,
        ["deny"] = Outcomes.Denied,
    };

    public static Decision DecideApproval(Escalation escalation, ApprovalDecision decision, Participant person, bool supervises, DateTimeOffset now)
    {
        if (escalation.Kind != EscalationKinds.Approval) return Refusal.Conflict($"Only approval escalations take a decision; this one is a {escalation.Kind}.");
        var outcome = OutcomeOfDecision[decision.Decision];
        var mustNotClaim = outcome == Outcomes.Denied ? new[] { $"that '{escalation.Action?.Name}' was carried out" } : [];
        return ActAsOwner(escalation, person, supervises, now, () =>
            [new ApprovalDecided(escalation.Id, decision, HandBackOf(escalation, outcome, new Resolution(decision.Reason ?? decision.Response, null, null), decision, mustNotClaim, person, now), now)]);
    }

    /// <summary>The outcomes a resolve may report, by kind; approvals may also use the decision endpoint.</summary>
    public static string[] ResolveOutcomesFor(string kind) => kind switch
    {
        EscalationKinds.Handoff => [Outcomes.Resolved],
        EscalationKinds.Question => [Outcomes.Answered, Outcomes.Resolved],
        _ => [Outcomes.Approved, Outcomes.Denied, Outcomes.Answered],
    };

    public static Decision Resolve(Escalation escalation, string outcome, Resolution resolution, string[] mustNotClaim, Participant person, bool supervises, DateTimeOffset now)
    {
        if (!ResolveOutcomesFor(escalation.Kind).Contains(outcome))
            return Refusal.Conflict($"A {escalation.Kind} escalation resolves with {string.Join(" or ", ResolveOutcomesFor(escalation.Kind))}, not {outcome}.");
        return ActAsOwner(escalation, person, supervises, now, () =>
            [new EscalationResolved(escalation.Id, HandBackOf(escalation, outcome, resolution, null, mustNotClaim, person, now), now)]);
    }

    public static Decision Reopen(Escalation escalation, string? reason, Participant person, DateTimeOffset now) =>
        escalation.IsFinal
            ? Decision.Of(new EscalationReopened(escalation.Id, reason, person, now))
            : Refusal.Conflict($"The escalation is {escalation.Status}; only a finished one can be reopened.");

    /// <summary>
    /// Runs an operator action that needs ownership: an unowned escalation (or one whose lease ran
    /// out) is claimed first, so the transcript delta and the audit trail say who took it.
    /// </summary>
    static Decision ActAsOwner(Escalation escalation, Participant person, bool supervises, DateTimeOffset now, Func<object[]> act)
    {
        if (escalation.IsFinal) return Final(escalation);
        if (IsOwner(escalation, person) || (supervises && escalation.Status == EscalationStatuses.WithHuman)) return Decision.Of(act());
        if (HeldByAnother(escalation, person, now)) return OwnedBy(escalation, $"{escalation.Operator!.Name} owns this escalation; claim it after they release it.");
        return Decision.Of([new EscalationClaimed(escalation.Id, person, now + Lease, now), .. act()]);
    }

    static HandBack HandBackOf(Escalation escalation, string outcome, Resolution resolution, ApprovalDecision? decision, string[] mustNotClaim, Participant? by, DateTimeOffset now)
    {
        // Lines appended in this same decision (an implicit claim) are not in the state yet, so the
        // delta is read from the state: everything since a human first took it this round.
        return new HandBack(outcome, resolution, decision, escalation.TranscriptSinceHuman(), mustNotClaim, by, now);
    }

    static TranscriptEntry OperatorLine(Participant person, string content, ReplyRoute route, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), TranscriptRoles.Operator, content, now, person, route.Channel);

    static Decision FindOpenDraft(Escalation escalation, Guid draftId)
    {
        var draft = escalation.Drafts.FirstOrDefault(d => d.Id == draftId);
        if (draft is null) return Refusal.NotFound("No draft with that id exists on this escalation.");
        if (draft.Status != DraftStatuses.Proposed) return Refusal.Conflict($"The draft was already {draft.Status}.");
        if (escalation.IsFinal) return Final(escalation);
        return Decision.Of();
    }

    static bool IsOwner(Escalation escalation, Participant person) =>
        escalation.Status == EscalationStatuses.WithHuman && escalation.Operator?.Id == person.Id;

    static bool HeldByAnother(Escalation escalation, Participant person, DateTimeOffset now) =>
        escalation.Status == EscalationStatuses.WithHuman && escalation.Operator?.Id != person.Id && escalation.LeaseExpiresAt > now;

    static Refusal Final(Escalation escalation) => Refusal.Conflict($"The escalation is already {escalation.Status}.");

    static Refusal OwnedBy(Escalation escalation, string detail) => new(409, detail, escalation.Operator, escalation.LeaseExpiresAt);
}
