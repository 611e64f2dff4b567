using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using JasperFx;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace AwaitHuman.Core.Assignment;

/// <summary>Find someone for an escalation of a team that nobody has (released, reopened, capacity freed up).</summary>
public sealed record AssignEscalation(Guid EscalationId, string Why);

/// <summary>Someone in these teams may have room now: offer the queue's oldest escalations again.</summary>
public sealed record DrainTeamQueues(Guid[] TeamIds, string Why);

/// <summary>A person went offline (said so, or stopped sending heartbeats): their escalations go to others.</summary>
public sealed record ReassignWorkOf(Guid PersonId, string Why);

/// <summary>Checks a person's heartbeats once they could have lapsed.</summary>
public sealed record CheckPresence(Guid PersonId);

public static class AssignmentHandler
{
    /// <summary>
    /// Two steps on one escalation at once (an SLA step and an operator's reply), or two decisions
    /// waiting on each other's people: the loser decides again on the new state.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().Or(Assigner.IsDeadlock).RetryWithCooldown(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));

    const int DrainBatch = 50;

    public static async Task Handle(AssignEscalation message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is not { } escalation || escalation.IsFinal || escalation.Status == EscalationStatuses.WithHuman || escalation.Offer is not null) return;
        var work = new RoutingWork(session, bus, escalation);
        await work.AssignAsync(await Assigner.PoolOfAsync(session, escalation, ct), null, clock.GetUtcNow(), ct, message.Why);
        await work.CommitAsync(stream);
    }

    public static async Task Handle(ExpireOffer message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is not { Offer: { } offer } escalation || offer.Operator.Id != message.PersonId || offer.ExpiresAt != message.ExpiresAt) return;
        var now = clock.GetUtcNow();
        var work = new RoutingWork(session, bus, escalation);
        work.Add(new EscalationOfferWithdrawn(escalation.Id, offer.Operator, $"{offer.Operator.Name} did not accept within the offer time", now));
        await work.AssignAsync(await Assigner.PoolOfAsync(session, escalation, ct), null, now, ct, "offer expired");
        await work.CommitAsync(stream);
    }

    public static async Task Handle(CheckAssignmentLease message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is not { Status: EscalationStatuses.WithHuman, Operator: { } owner } escalation || owner.Id != message.PersonId) return;
        var now = clock.GetUtcNow();
        // Every reply renews the lease: look again when the renewed one runs out.
        if (escalation.LeaseExpiresAt > now)
        {
            await bus.ScheduleAsync(message with { LeaseExpiresAt = escalation.LeaseExpiresAt.Value }, escalation.LeaseExpiresAt.Value);
            return;
        }
        var work = new RoutingWork(session, bus, escalation);
        work.Add(new EscalationUnassigned(escalation.Id, owner, $"{owner.Name}'s lease expired without activity", now));
        await work.AssignAsync(await Assigner.PoolOfAsync(session, escalation, ct), null, now, ct, "lease expired");
        await work.CommitAsync(stream);
    }

    public static async Task Handle(ReassignWorkOf message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var id = message.PersonId.ToString();
        var held = await session.Query<EscalationSummary>()
            .Where(s => (s.Status == EscalationStatuses.WithHuman && s.OperatorId == id) || (s.Status == EscalationStatuses.WaitingForHuman && s.OfferedToId == id))
            .Select(s => s.Id).ToListAsync(ct);
        foreach (var escalationId in held) await bus.PublishAsync(new TakeFromOffline(escalationId, id, message.Why));
    }

    // Only what routing gave them moves on its own; a claim taken by hand stays theirs until its lease runs out.
    public static Task Handle(TakeFromOffline message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct) =>
        TakeFromAsync(message.EscalationId, message.PersonId, message.Why, claimedByHandToo: false, session, bus, clock, ct);

    /// <summary>
    /// A member was removed: they leave every team of the tenant, their presence is forgotten, and
    /// each escalation they own or are offered goes back to its queue, as events on its stream.
    /// </summary>
    public static async Task Handle(MemberRemoved message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        // Invited again and accepted meanwhile: they are a member, so nothing of theirs moves.
        if (await session.Query<Membership>().AnyAsync(m => m.PersonId == message.PersonId, ct)) return;
        var now = clock.GetUtcNow();
        var teams = await session.Query<Team>().Where(t => t.Members.Any(m => m.PersonId == message.PersonId)).Select(t => t.Id).ToListAsync(ct);
        foreach (var team in teams) session.Events.Append(team, new TeamMemberRemoved(team, message.PersonId, message.By, now));
        session.Delete<OperatorPresence>(message.PersonId);

        var id = message.PersonId.ToString();
        var held = await session.Query<EscalationSummary>()
            .Where(s => (s.Status == EscalationStatuses.WithHuman && s.OperatorId == id) || (s.Status == EscalationStatuses.WaitingForHuman && s.OfferedToId == id))
            .Select(s => s.Id).ToListAsync(ct);
        // Sent once the teams no longer hold them, so the queue is offered to the others only.
        foreach (var escalationId in held)
            await bus.PublishAsync(new TakeFromRemovedMember(escalationId, id, $"{message.Email} was removed from the tenant by {message.By.Name}"));
    }

    // Whatever they held goes, claimed by hand or not: they cannot act on it any more.
    public static Task Handle(TakeFromRemovedMember message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct) =>
        TakeFromAsync(message.EscalationId, message.PersonId, message.Why, claimedByHandToo: true, session, bus, clock, ct);

    static async Task TakeFromAsync(Guid escalationId, string personId, string why, bool claimedByHandToo, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForWritingAsync(escalationId, ct);
        if (stream.Aggregate is not { } escalation || escalation.IsFinal) return;
        var now = clock.GetUtcNow();
        var work = new RoutingWork(session, bus, escalation);
        if (escalation is { Status: EscalationStatuses.WithHuman, Operator: { } owner } && owner.Id == personId && (claimedByHandToo || escalation.TeamId is not null))
            work.Add(new EscalationUnassigned(escalation.Id, owner, why, now));
        else if (escalation.Offer is { } offer && offer.Operator.Id == personId)
            work.Add(new EscalationOfferWithdrawn(escalation.Id, offer.Operator, why, now));
        else return;
        await work.AssignAsync(await Assigner.PoolOfAsync(session, work.State, ct), null, now, ct, "reassigned");
        await work.CommitAsync(stream);
    }

    public static async Task Handle(DrainTeamQueues message, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        foreach (var teamId in message.TeamIds)
        {
            var team = teamId.ToString();
            // Most urgent first, then in order of arrival.
            var queued = await session.Query<EscalationSummary>()
                .Where(s => s.TeamIds.Contains(team) && s.Status == EscalationStatuses.WaitingForHuman && s.OfferedToId == null && s.QueuedAt != null)
                .OrderBy(s => s.CreatedAt).Take(DrainBatch).Select(s => new { s.Id, s.Priority }).ToListAsync(ct);
            foreach (var row in queued.OrderBy(r => -Array.IndexOf(Priorities.All, r.Priority)))
                await bus.PublishAsync(new AssignEscalation(row.Id, message.Why));
        }
    }

    public static async Task Handle(CheckPresence message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var presence = await session.LoadAsync<OperatorPresence>(message.PersonId, ct);
        if (presence is null) return;
        var now = clock.GetUtcNow();
        if (OperatorPresence.Effective(presence, now) == PresenceStatuses.Offline)
        {
            presence.CheckDueAt = null;
            session.Store(presence);
            if (presence.Status != PresenceStatuses.Offline)
                await bus.PublishAsync(new ReassignWorkOf(message.PersonId, $"no heartbeat from them since {presence.LastSeenAt:u}"));
            return;
        }
        var due = presence.LastSeenAt + OperatorPresence.OfflineAfter + TimeSpan.FromSeconds(1);
        presence.CheckDueAt = due;
        session.Store(presence);
        await bus.ScheduleAsync(message, due);
    }

    public static async Task Handle(SlaCheckpoint message, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is not { } escalation) return;
        var now = clock.GetUtcNow();
        var outcome = SlaLadder.Decide(escalation, message, now);
        var work = new RoutingWork(session, bus, escalation) { NoticeKind = PeopleNotifications.NoticeKind.SlaStep };
        work.AddRange(outcome.Events);
        if (outcome.NotifySupervisors)
        {
            var supervisors = (await Assigner.PoolOfAsync(session, escalation, ct)).SelectMany(t => t.Members).Where(m => m.Supervisor).Select(m => m.PersonId).Distinct().ToArray();
            work.Add(new PeopleNotified(escalation.Id, supervisors, supervisors.Length == 0 ? outcome.Why + "; the team has no supervisors" : outcome.Why, now));
        }
        if (outcome.WidenTo is { } widen && await session.LoadAsync<Team>(widen, ct) is { } team && !work.State.TeamIds.Contains(widen))
            work.Add(new EscalationWidened(escalation.Id, widen, team.Name, $"{outcome.Why}: {team.Name} may take it too", now));
        if (outcome.Reassign && !work.State.IsFinal && work.State.Status != EscalationStatuses.WithHuman && work.State.Offer is null)
        {
            var pool = await Assigner.PoolOfAsync(session, work.State, ct);
            if (pool.Count > 0) await work.AssignAsync(pool, null, now, ct, outcome.Why);
        }
        await work.CommitAsync(stream);
    }
}

/// <summary>One escalation of a person who went offline.</summary>
public sealed record TakeFromOffline(Guid EscalationId, string PersonId, string Why);

/// <summary>One escalation of a person who is no longer a member.</summary>
public sealed record TakeFromRemovedMember(Guid EscalationId, string PersonId, string Why);
