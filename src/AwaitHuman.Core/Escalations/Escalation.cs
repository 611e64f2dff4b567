using System.Text.Json;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Sending;

namespace AwaitHuman.Core.Escalations;

// The escalation's events, in the order a case usually meets them. Each carries the escalation id
// and when it happened; the public feed (EscalationFeed) and the read models are built from them.

public sealed record EscalationOpened(
    Guid EscalationId,
    string Kind,
    string Reason,
    string? Summary,
    double? Confidence,
    string Priority,
    string? ExternalRef,
    Customer Customer,
    TranscriptEntry[] Transcript,
    AgentInfo? Agent,
    string? Question,
    ProposedAction? Action,
    JsonElement? Metadata,
    DateTimeOffset? DeadlineAt,
    Participant OpenedBy,
    DateTimeOffset At);

/// <summary>The agent added context (its own words, a tool result, a system note) after opening.</summary>
public sealed record AgentContextAppended(Guid EscalationId, TranscriptEntry Entry, DateTimeOffset At);

/// <summary>The end customer wrote; relayed by the agent now, by a channel connector later.</summary>
public sealed record CustomerReplied(Guid EscalationId, TranscriptEntry Entry, DateTimeOffset At);

public sealed record EscalationClaimed(Guid EscalationId, Participant Operator, DateTimeOffset LeaseExpiresAt, DateTimeOffset At);

public sealed record EscalationReleased(Guid EscalationId, Participant Operator, DateTimeOffset At);

/// <param name="Route">How it goes to the customer; the connector sends it through the outbox after this event commits.</param>
/// <summary>
/// The platform itself wrote to the customer on their channel (the routing rule's acknowledgement,
/// "we will reply by ..."); sent and tracked like an operator's reply, owned by nobody.
/// </summary>
public sealed record AutomaticMessageSent(Guid EscalationId, TranscriptEntry Entry, ReplyRoute Route, DateTimeOffset At);

public sealed record OperatorReplied(Guid EscalationId, TranscriptEntry Entry, Guid? DraftId, DateTimeOffset LeaseExpiresAt, DateTimeOffset At, ReplyRoute? Route = null);

public sealed record NoteAdded(Guid EscalationId, Guid NoteId, string Body, Participant Author, DateTimeOffset At);

public sealed record DraftProposed(Guid EscalationId, Guid DraftId, string Content, Participant ProposedBy, DateTimeOffset At);

public sealed record DraftApproved(Guid EscalationId, Guid DraftId, Participant Operator, DateTimeOffset At);

public sealed record DraftEdited(Guid EscalationId, Guid DraftId, string EditedContent, Participant Operator, DateTimeOffset At);

public sealed record DraftRejected(Guid EscalationId, Guid DraftId, string? Reason, Participant Operator, DateTimeOffset At);

/// <summary>The operator's answer to an approval request; it ends the escalation with <see cref="HandBack"/>.</summary>
public sealed record ApprovalDecided(Guid EscalationId, ApprovalDecision Decision, HandBack HandBack, DateTimeOffset At);

public sealed record EscalationResolved(Guid EscalationId, HandBack HandBack, DateTimeOffset At);

public sealed record EscalationCancelled(Guid EscalationId, HandBack HandBack, DateTimeOffset At);

/// <summary>Nobody answered in time; reported to the agent as <c>timed_out</c> (or <c>no_operator_available</c>), never as a denial.</summary>
public sealed record EscalationTimedOut(Guid EscalationId, HandBack HandBack, DateTimeOffset At);

public sealed record EscalationReopened(Guid EscalationId, string? Reason, Participant By, DateTimeOffset At);

// Routing, assignment and SLA ([5/6]): every decision carries its reason in words, e.g.
// "routed by rule 3 v7: priority=urgent and reason=refund_dispute".

/// <summary>Routing decided which team (if any) the escalation belongs to, by which rule of which version.</summary>
public sealed record EscalationRouted(Guid EscalationId, Guid? TeamId, string? TeamName, int RuleVersion, int? RulePosition, string Why, DateTimeOffset At);

public sealed record EscalationPriorityChanged(Guid EscalationId, string From, string To, string Why, DateTimeOffset At);

/// <summary>An SLA policy now runs on the escalation, with its ladder as it was when applied.</summary>
public sealed record SlaApplied(Guid EscalationId, Guid PolicyId, string PolicyName, DateTimeOffset FirstResponseDueAt, DateTimeOffset? ResolutionDueAt, SlaLadderStep[] Ladder, string Why, DateTimeOffset At);

/// <summary>One rung of an applied SLA ladder: when it is due and what it does.</summary>
public sealed record SlaLadderStep(DateTimeOffset DueAt, string Action, Guid? TeamId);

/// <summary>The customer is told when to expect a human; a channel connector sends it (message <c>AcknowledgeCustomer</c>).</summary>
public sealed record CustomerAcknowledged(Guid EscalationId, string Channel, string Message, DateTimeOffset ReplyBy, DateTimeOffset At);

public sealed record PeopleNotified(Guid EscalationId, Guid[] PersonIds, string Why, DateTimeOffset At);

/// <summary>The system gave an operator ownership, as a claim would, with the lease of a claim.</summary>
public sealed record EscalationAssigned(Guid EscalationId, Participant Operator, Guid? TeamId, DateTimeOffset LeaseExpiresAt, string Why, DateTimeOffset At);

/// <summary>The system offered it to an operator, who accepts (a claim) before it expires.</summary>
public sealed record EscalationOffered(Guid EscalationId, Participant Operator, Guid? TeamId, DateTimeOffset OfferExpiresAt, string Why, DateTimeOffset At);

/// <summary>The offer ended without acceptance: declined or expired.</summary>
public sealed record EscalationOfferWithdrawn(Guid EscalationId, Participant Operator, string Why, DateTimeOffset At);

/// <summary>Nobody could take it now; it waits in the team's queue.</summary>
public sealed record EscalationQueued(Guid EscalationId, Guid? TeamId, string Why, DateTimeOffset At);

/// <summary>The system took it from its owner (offline, lease expired, SLA step) to give it to someone else.</summary>
public sealed record EscalationUnassigned(Guid EscalationId, Participant Operator, string Why, DateTimeOffset At);

/// <summary>A person moved it to another team or person.</summary>
public sealed record EscalationTransferred(Guid EscalationId, Guid? ToTeamId, string? ToTeamName, Participant? ToOperator, string? Note, Participant By, string Why, DateTimeOffset At);

/// <summary>An SLA step let another team's members take it too.</summary>
public sealed record EscalationWidened(Guid EscalationId, Guid TeamId, string TeamName, string Why, DateTimeOffset At);

/// <param name="Target"><c>first_response</c> or <c>resolution</c>.</param>
public sealed record SlaBreached(Guid EscalationId, Guid PolicyId, string Target, DateTimeOffset DueAt, DateTimeOffset At);

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

public sealed record Note(Guid Id, string Body, Participant Author, DateTimeOffset At);

public sealed record Draft(Guid Id, string Content, string Status, DateTimeOffset ProposedAt, Participant? DecidedBy = null, DateTimeOffset? DecidedAt = null, string? FinalContent = null, string? Reason = null);

/// <summary>
/// One escalation, kept inline with its stream: the write model every command decides on and the
/// details an API caller reads. One document instead of a small write model plus a details view
/// saves a write on every event of the hottest stream type.
/// </summary>
public sealed class Escalation
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Kind { get; set; } = "";
    public string Status { get; set; } = EscalationStatuses.WaitingForHuman;
    /// <summary>The operator who owns it while <see cref="Status"/> is <c>with_human</c>.</summary>
    public Participant? Operator { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public string Reason { get; set; } = "";
    public string? Summary { get; set; }
    public double? Confidence { get; set; }
    public string Priority { get; set; } = "normal";
    public string? ExternalRef { get; set; }
    public Customer Customer { get; set; } = new(null, null, null, null, null, null);
    public AgentInfo? Agent { get; set; }
    public string? Question { get; set; }
    public ProposedAction? Action { get; set; }
    public JsonElement? Metadata { get; set; }
    public DateTimeOffset? DeadlineAt { get; set; }
    public Participant OpenedBy { get; set; } = Participant.System;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<TranscriptEntry> Transcript { get; set; } = [];
    /// <summary>How many transcript entries there were when a human first took it in this round; the hand-back's delta starts there.</summary>
    public int? HumanSinceEntry { get; set; }
    public List<Note> Notes { get; set; } = [];
    public List<Draft> Drafts { get; set; } = [];
    public HandBack? HandBack { get; set; }
    /// <summary>Where each operator message to the customer stands, by <see cref="MessageDelivery.MessageId"/> (the transcript entry's id).</summary>
    public List<MessageDelivery> Deliveries { get; set; } = [];

    /// <summary>The team it was routed to; <see cref="TeamIds"/> adds teams an SLA step widened it to.</summary>
    public Guid? TeamId { get; set; }
    public string? TeamName { get; set; }
    public List<Guid> TeamIds { get; set; } = [];
    public OfferState? Offer { get; set; }
    /// <summary>Since when it waits in its team's queue, while it does.</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    public SlaState? Sla { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    /// <summary>Whether a human ever owned it: a timeout then says <c>timed_out</c>, else <c>no_operator_available</c>.</summary>
    public bool EverOwned { get; set; }
    /// <summary>People the system should not give it to again in this round (declined, let an offer expire, lost it).</summary>
    public List<string> PassedBy { get; set; } = [];
    /// <summary>Every routing, assignment and SLA decision with its reason, oldest first.</summary>
    public List<RoutingNote> Routing { get; set; } = [];

    public bool IsFinal => EscalationStatuses.IsFinal(Status);

    public string Owner => Status == EscalationStatuses.WithHuman ? EscalationOwner.Human : EscalationOwner.Ai;

    /// <summary>The channel replies go out on: the customer's preference, else back through the agent.</summary>
    public string Channel => Customer.PreferredChannel ?? ChannelKinds.Agent;

    public static Escalation Create(EscalationOpened opened) => new()
    {
        Id = opened.EscalationId,
        Kind = opened.Kind,
        Reason = opened.Reason,
        Summary = opened.Summary,
        Confidence = opened.Confidence,
        Priority = opened.Priority,
        ExternalRef = opened.ExternalRef,
        Customer = opened.Customer,
        Agent = opened.Agent,
        Question = opened.Question,
        Action = opened.Action,
        Metadata = opened.Metadata,
        DeadlineAt = opened.DeadlineAt,
        OpenedBy = opened.OpenedBy,
        CreatedAt = opened.At,
        UpdatedAt = opened.At,
        Transcript = [.. opened.Transcript],
    };

    public void Apply(AgentContextAppended appended) => Add(appended.Entry, appended.At);

    public void Apply(CustomerReplied replied) => Add(replied.Entry, replied.At);

    public void Apply(EscalationClaimed claimed)
    {
        Status = EscalationStatuses.WithHuman;
        Operator = claimed.Operator;
        LeaseExpiresAt = claimed.LeaseExpiresAt;
        HumanSinceEntry ??= Transcript.Count;
        Offer = null;
        QueuedAt = null;
        EverOwned = true;
        UpdatedAt = claimed.At;
    }

    public void Apply(EscalationReleased released)
    {
        if (released.Operator.Id is { } id) PassedBy.Add(id);
        Status = EscalationStatuses.WaitingForHuman;
        Operator = null;
        LeaseExpiresAt = null;
        UpdatedAt = released.At;
    }

    public void Apply(OperatorReplied replied)
    {
        LeaseExpiresAt = replied.LeaseExpiresAt;
        FirstResponseAt ??= replied.At;
        Add(replied.Entry, replied.At);
        if (replied.Route is { } route)
            Deliveries.Add(new MessageDelivery(replied.Entry.Id, route.Channel, route.ConnectionId, route.To, MessageDelivery.Pending, replied.At, route.Provider, Template: route.Template));
    }

    public void Apply(AutomaticMessageSent sent)
    {
        Add(sent.Entry, sent.At);
        Deliveries.Add(new MessageDelivery(sent.Entry.Id, sent.Route.Channel, sent.Route.ConnectionId, sent.Route.To, MessageDelivery.Pending, sent.At, sent.Route.Provider, Template: sent.Route.Template));
    }

    public void Apply(DeliveryAccepted accepted) => Deliver(accepted.MessageId, delivery =>
        delivery.Reach(accepted.State, accepted.At) with { ProviderMessageId = accepted.ProviderMessageId, Segments = accepted.Segments, Attempts = delivery.Attempts + 1, NextAttemptAt = null });

    public void Apply(DeliveryDeferred deferred) => Deliver(deferred.MessageId, delivery =>
        delivery with { Attempts = deferred.Attempt, Error = deferred.Error, NextAttemptAt = deferred.NextAttemptAt, UpdatedAt = deferred.At });

    public void Apply(DeliveryFailed failed) => Deliver(failed.MessageId, delivery =>
        delivery.Reach(DeliveryStates.Failed, failed.At) with { ErrorCode = failed.ErrorCode, Error = failed.Error, Suggestion = failed.Suggestion, Attempts = delivery.Attempts + 1, NextAttemptAt = null });

    public void Apply(DeliveryStatusReported reported) => Deliver(reported.MessageId, delivery =>
    {
        var reached = delivery.Reach(reported.State, reported.At) with { ProviderMessageId = delivery.ProviderMessageId ?? reported.ProviderMessageId };
        return reported.ErrorCode is null ? reached : reached with { ErrorCode = reported.ErrorCode, Error = reported.ErrorMessage };
    });

    public void Apply(NoteAdded added)
    {
        Notes.Add(new Note(added.NoteId, added.Body, added.Author, added.At));
        UpdatedAt = added.At;
    }

    public void Apply(DraftProposed proposed)
    {
        Drafts.Add(new Draft(proposed.DraftId, proposed.Content, DraftStatuses.Proposed, proposed.At));
        UpdatedAt = proposed.At;
    }

    public void Apply(DraftApproved approved) =>
        Decide(approved.DraftId, draft => draft with { Status = DraftStatuses.Approved, DecidedBy = approved.Operator, DecidedAt = approved.At, FinalContent = draft.Content }, approved.At);

    public void Apply(DraftEdited edited) =>
        Decide(edited.DraftId, draft => draft with { Status = DraftStatuses.Edited, DecidedBy = edited.Operator, DecidedAt = edited.At, FinalContent = edited.EditedContent }, edited.At);

    public void Apply(DraftRejected rejected) =>
        Decide(rejected.DraftId, draft => draft with { Status = DraftStatuses.Rejected, DecidedBy = rejected.Operator, DecidedAt = rejected.At, Reason = rejected.Reason }, rejected.At);

    public void Apply(ApprovalDecided decided) => Close(EscalationStatuses.Resolved, decided.HandBack, decided.At);

    public void Apply(EscalationResolved resolved) => Close(EscalationStatuses.Resolved, resolved.HandBack, resolved.At);

    public void Apply(EscalationCancelled cancelled) => Close(EscalationStatuses.Cancelled, cancelled.HandBack, cancelled.At);

    public void Apply(EscalationTimedOut timedOut) => Close(EscalationStatuses.TimedOut, timedOut.HandBack, timedOut.At);

    public void Apply(EscalationReopened reopened)
    {
        Status = EscalationStatuses.WaitingForHuman;
        HandBack = null;
        HumanSinceEntry = null;
        PassedBy.Clear();
        UpdatedAt = reopened.At;
    }

    public void Apply(EscalationRouted e)
    {
        if (e.TeamId is { } team)
        {
            TeamId = team;
            TeamName = e.TeamName;
            TeamIds = [team];
        }
        Note("routed", e.Why, e.At);
    }

    public void Apply(EscalationPriorityChanged e)
    {
        Priority = e.To;
        Note("priority_changed", e.Why, e.At);
    }

    public void Apply(SlaApplied e)
    {
        Sla = new SlaState(e.PolicyId, e.PolicyName, e.At, e.FirstResponseDueAt, e.ResolutionDueAt, e.Ladder, []);
        Note("sla_applied", e.Why, e.At);
    }

    public void Apply(CustomerAcknowledged e) => Note("customer_acknowledged", $"told the customer on {e.Channel} to expect a reply by {e.ReplyBy:u}", e.At);

    public void Apply(PeopleNotified e) => Note("people_notified", e.Why, e.At);

    public void Apply(EscalationAssigned e)
    {
        Status = EscalationStatuses.WithHuman;
        Operator = e.Operator;
        LeaseExpiresAt = e.LeaseExpiresAt;
        HumanSinceEntry ??= Transcript.Count;
        Offer = null;
        QueuedAt = null;
        EverOwned = true;
        Note("assigned", e.Why, e.At);
    }

    public void Apply(EscalationOffered e)
    {
        Offer = new OfferState(e.Operator, e.OfferExpiresAt);
        QueuedAt = null;
        Note("offered", e.Why, e.At);
    }

    public void Apply(EscalationOfferWithdrawn e)
    {
        Offer = null;
        if (e.Operator.Id is { } id) PassedBy.Add(id);
        Note("offer_withdrawn", e.Why, e.At);
    }

    public void Apply(EscalationQueued e)
    {
        QueuedAt ??= e.At;
        Offer = null;
        Note("queued", e.Why, e.At);
    }

    public void Apply(EscalationUnassigned e)
    {
        Status = EscalationStatuses.WaitingForHuman;
        Operator = null;
        LeaseExpiresAt = null;
        if (e.Operator.Id is { } id) PassedBy.Add(id);
        Note("unassigned", e.Why, e.At);
    }

    public void Apply(EscalationTransferred e)
    {
        Status = EscalationStatuses.WaitingForHuman;
        Operator = null;
        LeaseExpiresAt = null;
        Offer = null;
        QueuedAt = null;
        PassedBy.Clear();
        if (e.ToTeamId is { } team)
        {
            TeamId = team;
            TeamName = e.ToTeamName;
            TeamIds = [team];
        }
        Note("transferred", e.Why, e.At);
    }

    public void Apply(EscalationWidened e)
    {
        if (!TeamIds.Contains(e.TeamId)) TeamIds.Add(e.TeamId);
        Note("widened", e.Why, e.At);
    }

    public void Apply(SlaBreached e)
    {
        if (Sla is not null) Sla = Sla with { Breaches = [.. Sla.Breaches, e.Target] };
        Note("sla_breached", $"{e.Target.Replace('_', ' ')} target of {Sla?.PolicyName} missed (due {e.DueAt:u})", e.At);
    }

    /// <summary>Applies any escalation event; Marten calls the typed Apply methods itself.</summary>
    public void Advance(object e)
    {
        switch (e)
        {
            case AgentContextAppended x: Apply(x); break;
            case CustomerReplied x: Apply(x); break;
            case EscalationClaimed x: Apply(x); break;
            case EscalationReleased x: Apply(x); break;
            case OperatorReplied x: Apply(x); break;
            case NoteAdded x: Apply(x); break;
            case DraftProposed x: Apply(x); break;
            case DraftApproved x: Apply(x); break;
            case DraftEdited x: Apply(x); break;
            case DraftRejected x: Apply(x); break;
            case ApprovalDecided x: Apply(x); break;
            case EscalationResolved x: Apply(x); break;
            case EscalationCancelled x: Apply(x); break;
            case EscalationTimedOut x: Apply(x); break;
            case EscalationReopened x: Apply(x); break;
            case AutomaticMessageSent x: Apply(x); break;
            case DeliveryAccepted x: Apply(x); break;
            case DeliveryDeferred x: Apply(x); break;
            case DeliveryFailed x: Apply(x); break;
            case DeliveryStatusReported x: Apply(x); break;
            case EscalationRouted x: Apply(x); break;
            case EscalationPriorityChanged x: Apply(x); break;
            case SlaApplied x: Apply(x); break;
            case CustomerAcknowledged x: Apply(x); break;
            case PeopleNotified x: Apply(x); break;
            case EscalationAssigned x: Apply(x); break;
            case EscalationOffered x: Apply(x); break;
            case EscalationOfferWithdrawn x: Apply(x); break;
            case EscalationQueued x: Apply(x); break;
            case EscalationUnassigned x: Apply(x); break;
            case EscalationTransferred x: Apply(x); break;
            case EscalationWidened x: Apply(x); break;
            case SlaBreached x: Apply(x); break;
            default: throw new ArgumentException($"{e.GetType().Name} is not an escalation event after opening.", nameof(e));
        }
    }

    /// <summary>
    /// A copy to apply further events to while the original stays as Marten read it. Shallow but for
    /// the lists: everything in them, and every other member, is an immutable record or a value that
    /// the Apply methods replace rather than change.
    /// </summary>
    public Escalation Copy()
    {
        var copy = (Escalation)MemberwiseClone();
        copy.Transcript = [.. Transcript];
        copy.Notes = [.. Notes];
        copy.Drafts = [.. Drafts];
        copy.Deliveries = [.. Deliveries];
        copy.TeamIds = [.. TeamIds];
        copy.PassedBy = [.. PassedBy];
        copy.Routing = [.. Routing];
        return copy;
    }

    /// <summary>What happened while a human owned it: the hand-back's <c>transcript_delta</c>.</summary>
    public TranscriptEntry[] TranscriptSinceHuman() => HumanSinceEntry is { } since ? Transcript.Skip(since).ToArray() : [];

    void Add(TranscriptEntry entry, DateTimeOffset at)
    {
        Transcript.Add(entry);
        UpdatedAt = at;
    }

    /// <summary>Delivery news does not count as activity on the escalation, so <see cref="UpdatedAt"/> stays.</summary>
    void Deliver(Guid messageId, Func<MessageDelivery, MessageDelivery> change)
    {
        var index = Deliveries.FindIndex(delivery => delivery.MessageId == messageId);
        if (index >= 0) Deliveries[index] = change(Deliveries[index]);
    }

    void Decide(Guid draftId, Func<Draft, Draft> change, DateTimeOffset at)
    {
        var index = Drafts.FindIndex(draft => draft.Id == draftId);
        if (index >= 0) Drafts[index] = change(Drafts[index]);
        UpdatedAt = at;
    }

    void Note(string what, string why, DateTimeOffset at)
    {
        Routing.Add(new RoutingNote(what, why, at));
        UpdatedAt = at;
    }

    void Close(string status, HandBack handBack, DateTimeOffset at)
    {
        Status = status;
        Operator = null;
        LeaseExpiresAt = null;
        Offer = null;
        QueuedAt = null;
        HandBack = handBack;
        UpdatedAt = at;
    }
}

/// <summary>An open offer to one operator.</summary>
public sealed record OfferState(Participant Operator, DateTimeOffset ExpiresAt);

/// <summary>The SLA policy running on an escalation, as applied, and the targets it missed.</summary>
public sealed record SlaState(Guid PolicyId, string PolicyName, DateTimeOffset AppliedAt, DateTimeOffset FirstResponseDueAt, DateTimeOffset? ResolutionDueAt, SlaLadderStep[] Ladder, string[] Breaches);

/// <param name="What">routed, assigned, offered, queued, sla_breached, ...</param>
public sealed record RoutingNote(string What, string Why, DateTimeOffset At);

public static class DraftStatuses
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";
    public const string Edited = "edited";
    public const string Rejected = "rejected";
}
