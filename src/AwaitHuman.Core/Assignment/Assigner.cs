using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Teams;
using Marten;

namespace AwaitHuman.Core.Assignment;

/// <summary>How often each person got work from the system, for round robin and ties: one counter per tenant.</summary>
public sealed class AssignmentTurns
{
    public Guid Id { get; set; }
    public long Counter { get; set; }
    public Dictionary<string, long> LastTurn { get; set; } = [];
}

/// <summary>What assignment decided: the events to append and the timers to schedule.</summary>
public sealed record AssignmentDecision(object[] Events, object[] Timers, DateTimeOffset?[] TimerTimes)
{
    public static AssignmentDecision None { get; } = new([], [], []);
}

/// <summary>Re-checks an assignment when its lease runs out: still owned but silent, it goes to someone else.</summary>
public sealed record CheckAssignmentLease(Guid EscalationId, string PersonId, DateTimeOffset LeaseExpiresAt);

/// <summary>Withdraws an offer nobody accepted and offers it to the next operator.</summary>
public sealed record ExpireOffer(Guid EscalationId, string PersonId, DateTimeOffset ExpiresAt);

/// <summary>
/// Chooses who gets an escalation among its teams' members: online, below capacity (per operator
/// and per channel), not passed over already, with the skills asked for; then by the team's
/// strategy. Decisions in one tenant take turns under a PostgreSQL advisory lock held until the
/// decision commits, so two nodes never both fill an operator's last slot.
/// </summary>
public static class Assigner
{
    public static async Task<AssignmentDecision> DecideAsync(
        IDocumentSession session, Escalation escalation, IReadOnlyList<Team> pool, IReadOnlyDictionary<string, int>? requiredSkills,
        DateTimeOffset now, CancellationToken ct, string? context = null)
    {
        if (escalation.IsFinal || escalation.Status == EscalationStatuses.WithHuman || escalation.Offer is not null || pool.Count == 0)
            return AssignmentDecision.None;

        var primary = pool[0];
        var members = pool.SelectMany((team, t) => team.Members.Select((member, m) => (Team: team, Member: member, Order: t * 1000 + m)))
            .GroupBy(x => x.Member.PersonId).Select(g => g.First()).ToList();
        var ids = members.Select(m => m.Member.PersonId).ToArray();
        var idTexts = ids.Select(id => id.ToString()).ToArray();
        var channel = escalation.Channel;
        var turnsId = TurnsIdFor(session.TenantId);

        // One round trip: the lock first (the batch's statements run in order), then what the decision
        // reads, so the lock is held for as short a time as the commit allows.
        await session.BeginTransactionAsync(ct);
        var batch = session.CreateBatchQuery();
        var locking = batch.Query<string>("select 'locked' from pg_advisory_xact_lock(hashtextextended(?, 0))", "awaithuman-assignment:" + session.TenantId);
        var presenceOf = batch.LoadMany<OperatorPresence>().ById(ids);
        var loadsOf = batch.Query<Load>(LoadsSql(session), channel, EscalationStatuses.WithHuman, session.TenantId, escalation.Id,
            EscalationStatuses.WithHuman, idTexts, EscalationStatuses.WaitingForHuman, idTexts);
        var turnsOf = batch.Load<AssignmentTurns>(turnsId);
        var namesOf = batch.Query<Membership>().Where(m => ids.Contains(m.PersonId)).ToList();
        await batch.Execute(ct);
        await locking;
        var presence = (await presenceOf).ToDictionary(p => p.Id);
        var loads = (await loadsOf).ToDictionary(load => load.PersonId);
        var turns = await turnsOf ?? new AssignmentTurns { Id = turnsId };
        var names = (await namesOf).ToDictionary(m => m.PersonId, m => m.Email);

        int offline = 0, full = 0, passed = 0, unskilled = 0;
        var candidates = new List<Candidate>();
        foreach (var (team, member, order) in members)
        {
            var id = member.PersonId.ToString();
            if (escalation.PassedBy.Contains(id)) { passed++; continue; }
            if (OperatorPresence.Effective(presence.GetValueOrDefault(member.PersonId), now) != PresenceStatuses.Online) { offline++; continue; }
            if (!AssignmentStrategy.HasSkills(member.Skills, requiredSkills)) { unskilled++; continue; }
            var load = loads.GetValueOrDefault(id) ?? new Load(id, 0, 0);
            var channelCap = member.ChannelCapacity.TryGetValue(channel, out var cap) ? cap : int.MaxValue;
            if (load.All >= member.Capacity || load.OnChannel >= channelCap) { full++; continue; }
            candidates.Add(new Candidate(member.PersonId, names.GetValueOrDefault(member.PersonId, id), load.All, member.Capacity, member.Skills,
                turns.LastTurn.TryGetValue(id, out var turn) ? turn : null, order));
        }

        var chosen = AssignmentStrategy.Choose(primary.Strategy, candidates, requiredSkills);
        var teamNames = string.Join(" + ", pool.Select(t => t.Name));
        var prefix = context is null ? "" : context + "; ";
        if (chosen is null)
        {
            var why = $"{prefix}nobody in {teamNames} can take it now: {Count(offline, "not online")}{Count(full, "at capacity")}{Count(passed, "passed on it")}{Count(unskilled, "without the skills")}".TrimEnd(',', ' ');
            if (members.Count == 0) why = $"{prefix}{teamNames} has no members";
            return new AssignmentDecision([new EscalationQueued(escalation.Id, escalation.TeamId ?? primary.Id, why, now)], [], []);
        }

        turns.Counter++;
        turns.LastTurn[chosen.PersonId.ToString()] = turns.Counter;
        session.Store(turns);

        var person = new Participant("person", chosen.PersonId.ToString(), chosen.Name);
        var reason = $"{prefix}{Strategy(primary.Strategy)} in {teamNames}: {chosen.Name} had {chosen.Load} of {chosen.Capacity}";
        var teamId = escalation.TeamId ?? primary.Id;
        if (primary.Assignment == AssignmentModes.Offer)
        {
            var expires = now.AddSeconds(primary.OfferSeconds);
            return new AssignmentDecision([new EscalationOffered(escalation.Id, person, teamId, expires, $"offered by {reason}", now)],
                [new ExpireOffer(escalation.Id, person.Id!, expires)], [expires]);
        }
        var lease = now + EscalationRules.Lease;
        return new AssignmentDecision([new EscalationAssigned(escalation.Id, person, teamId, lease, $"assigned by {reason}", now)],
            [new CheckAssignmentLease(escalation.Id, person.Id!, lease)], [lease]);
    }

    /// <summary>What a person holds: escalations they own or have an open offer of, in all and on one channel.</summary>
    sealed record Load(string PersonId, int All, int OnChannel);

    /// <summary>
    /// The loads of the people asked for, other than the escalation being decided, counted by PostgreSQL:
    /// one row per person however many escalations they hold (reading every held row made each decision
    /// slower as the day's work piled up). Parameters: channel, with_human, tenant, escalation, with_human,
    /// people, waiting_for_human, people.
    /// </summary>
    static string LoadsSql(IQuerySession session) => $"""
        select jsonb_build_object('PersonId', holder, 'All', count(*), 'OnChannel', count(*) filter (where channel = ?))
        from (select case when status = ? then operator_id else offered_to_id end as holder, data ->> 'Channel' as channel
              from {session.DocumentStore.Options.Schema.For<EscalationSummary>()}
              where tenant_id = ? and id <> ?
                and ((status = ? and operator_id = any(?)) or (status = ? and offered_to_id = any(?)))) held
        group by holder
        """;

    static string Count(int count, string what) => count == 0 ? "" : $"{count} {what}, ";

    static string Strategy(string strategy) => strategy.Replace('_', ' ');

    public static Guid TurnsIdFor(string tenantId) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("assignment-turns:" + tenantId)));

    /// <summary>The teams an escalation may go to: its routed team first, then those it was widened to.</summary>
    public static async Task<IReadOnlyList<Team>> PoolOfAsync(IQuerySession session, Escalation escalation, CancellationToken ct)
    {
        var ids = escalation.TeamIds.Count > 0 ? escalation.TeamIds.ToArray() : escalation.TeamId is { } team ? [team] : [];
        if (ids.Length == 0) return [];
        var teams = await session.LoadManyAsync<Team>(ct, ids);
        return ids.Select(id => teams.FirstOrDefault(t => t.Id == id)).OfType<Team>().ToList();
    }
}
