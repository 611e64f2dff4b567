using System.Text.Json;
using AwaitHuman.Connectors;

namespace AwaitHuman.Core.Escalations;

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

    public void Apply(EscalationClaimed claimed)
    {
        Own(claimed.Operator, claimed.LeaseExpiresAt);
        UpdatedAt = claimed.At;
    }

    public void Apply(EscalationReleased released)
    {
        if (released.Operator.Id is { } id) PassedBy.Add(id);
        LetGo();
        UpdatedAt = released.At;
    }

    public void Apply(EscalationAssigned e)
    {
        Own(e.Operator, e.LeaseExpiresAt);
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
        LetGo();
        if (e.Operator.Id is { } id) PassedBy.Add(id);
        Note("unassigned", e.Why, e.At);
    }

    public void Apply(EscalationTransferred e)
    {
        LetGo();
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

    public void Apply(SlaBreached e)
    {
        if (Sla is not null) Sla = Sla with { Breaches = [.. Sla.Breaches, e.Target] };
        Note("sla_breached", $"{e.Target.Replace('_', ' ')} target of {Sla?.PolicyName} missed (due {e.DueAt:u})", e.At);
    }

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

    /// <summary>
    /// Applies any event after opening, to decide on what a command or a routing step has added so
    /// far (<see cref="Copy"/>). Marten finds the same Apply methods by convention for the stored
    /// snapshot; its live aggregation would want each event wrapped, a session and an await per event
    /// on the routing path and in tests that have no store, so this switch calls them directly. A test
    /// fails when an event of this namespace has no case here.
    /// </summary>
    public void Advance(object e)
    {
        switch (e)
        {
            case AgentContextAppended x: Apply(x); break;
            case CustomerReplied x: Apply(x); break;
            case OperatorReplied x: Apply(x); break;
            case AutomaticMessageSent x: Apply(x); break;
            case NoteAdded x: Apply(x); break;
            case DraftProposed x: Apply(x); break;
            case DraftApproved x: Apply(x); break;
            case DraftEdited x: Apply(x); break;
            case DraftRejected x: Apply(x); break;
            case DeliveryAccepted x: Apply(x); break;
            case DeliveryDeferred x: Apply(x); break;
            case DeliveryFailed x: Apply(x); break;
            case DeliveryStatusReported x: Apply(x); break;
            case EscalationClaimed x: Apply(x); break;
            case EscalationReleased x: Apply(x); break;
            case EscalationAssigned x: Apply(x); break;
            case EscalationOffered x: Apply(x); break;
            case EscalationOfferWithdrawn x: Apply(x); break;
            case EscalationQueued x: Apply(x); break;
            case EscalationUnassigned x: Apply(x); break;
            case EscalationTransferred x: Apply(x); break;
            case EscalationWidened x: Apply(x); break;
            case EscalationRouted x: Apply(x); break;
            case EscalationPriorityChanged x: Apply(x); break;
            case SlaApplied x: Apply(x); break;
            case CustomerAcknowledged x: Apply(x); break;
            case PeopleNotified x: Apply(x); break;
            case SlaBreached x: Apply(x); break;
            case ApprovalDecided x: Apply(x); break;
            case EscalationResolved x: Apply(x); break;
            case EscalationCancelled x: Apply(x); break;
            case EscalationTimedOut x: Apply(x); break;
            case EscalationReopened x: Apply(x); break;
            default: throw new ArgumentException($"{e.GetType().Name} is not an escalation event after opening.", nameof(e));
        }
    }

    /// <summary>
    /// A copy to apply further events to while the original stays as Marten read it: Marten advances
    /// that same instance on commit (UseIdentityMapForAggregates), so commands and routing steps decide
    /// on a copy. Shallow but for the lists: everything in them, and every other member, is an
    /// immutable record or a value that the Apply methods replace rather than change (a test checks).
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

    void Own(Participant person, DateTimeOffset leaseExpiresAt)
    {
        Status = EscalationStatuses.WithHuman;
        Operator = person;
        LeaseExpiresAt = leaseExpiresAt;
        HumanSinceEntry ??= Transcript.Count;
        Offer = null;
        QueuedAt = null;
        EverOwned = true;
    }

    /// <summary>Back to waiting for a human; who may take it next is each event's own business.</summary>
    void LetGo()
    {
        Status = EscalationStatuses.WaitingForHuman;
        Operator = null;
        LeaseExpiresAt = null;
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

public sealed record Note(Guid Id, string Body, Participant Author, DateTimeOffset At);

public sealed record Draft(Guid Id, string Content, string Status, DateTimeOffset ProposedAt, Participant? DecidedBy = null, DateTimeOffset? DecidedAt = null, string? FinalContent = null, string? Reason = null);

/// <summary>An open offer to one operator.</summary>
public sealed record OfferState(Participant Operator, DateTimeOffset ExpiresAt);

/// <summary>The SLA policy running on an escalation, as applied, and the targets it missed.</summary>
public sealed record SlaState(Guid PolicyId, string PolicyName, DateTimeOffset AppliedAt, DateTimeOffset FirstResponseDueAt, DateTimeOffset? ResolutionDueAt, SlaLadderStep[] Ladder, string[] Breaches);

/// <param name="What">routed, assigned, offered, queued, sla_breached, ...</param>
public sealed record RoutingNote(string What, string Why, DateTimeOffset At);
