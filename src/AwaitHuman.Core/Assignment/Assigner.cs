using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Teams;
using Marten;

namespace AwaitHuman.Core.Assignment;

/// <summary>
/// When a person last got work from the system, for round robin and ties: one document per person,
/// written only under that person's assignment lock, so concurrent decisions never lose a turn.
/// </summary>
public sealed class AssignmentTurn
{
    /// <summary>The person's id.</summary>
    public Guid Id { get; set; }
    /// <summary>Higher is more recent: one more than the highest turn among the candidates at the time.</summary>
    public long Turn { get; set; }
}

/// <summary>What assignment decided: the events to append and the timers to schedule.</summary>
/// <param name="WouldWait">Nothing decided: everyone with room is being decided for right now, and the caller may not wait.</param>
public sealed record AssignmentDecision(object[] Events, object[] Timers, DateTimeOffset?[] TimerTimes, bool WouldWait = false)
{
    public static AssignmentDecision None { get; } = new([], [], []);
    public static AssignmentDecision NotWaited { get; } = new([], [], [], WouldWait: true);
}

/// <summary>Re-checks an assignment when its lease runs out: still owned but silent, it goes to someone else.</summary>
public sealed record CheckAssignmentLease(Guid EscalationId, string PersonId, DateTimeOffset LeaseExpiresAt);

/// <summary>Withdraws an offer nobody accepted and offers it to the next operator.</summary>
public sealed record ExpireOffer(Guid EscalationId, string PersonId, DateTimeOffset ExpiresAt);

/// <summary>
/// Chooses who gets an escalation among its teams' members: online, below capacity (per operator
/// and per channel), not passed over already, with the skills asked for; then by the team's
/// strategy. The choice is made on an unlocked read; the person chosen is then locked (a PostgreSQL
/// advisory lock per person, held until the decision commits) and their load read again, so two
/// nodes never both fill an operator's last slot. A person another decision holds right now is
/// passed for the next in line, so decisions in one tenant run side by side instead of in turn.
/// </summary>
public static class Assigner
{
    /// <param name="heldBy">
    /// Who holds the escalation as stored (an owner or an offer this decision's earlier events take away):
    /// it still counts in their load until the decision commits, so it is taken off.
    /// </param>
    /// <param name="mayWait">
    /// Whether to wait for a person another decision holds when nobody else has room; when not, the
    /// decision is <see cref="AssignmentDecision.NotWaited"/> instead.
    /// </param>
    public static async Task<AssignmentDecision> DecideAsync(
        IDocumentSession session, Escalation escalation, string? heldBy, IReadOnlyList<Team> pool, IReadOnlyDictionary<string, int>? requiredSkills,
        DateTimeOffset now, CancellationToken ct, string? context = null, bool mayWait = true)
    {
        if (escalation.IsFinal || escalation.Status == EscalationStatuses.WithHuman || escalation.Offer is not null || pool.Count == 0)
            return AssignmentDecision.None;

        var primary = pool[0];
        var members = pool.SelectMany((team, t) => team.Members.Select((member, m) => (Team: team, Member: member, Order: t * 1000 + m)))
            .GroupBy(x => x.Member.PersonId).Select(g => g.First()).ToList();
        var ids = members.Select(m => m.Member.PersonId).ToArray();
        var idTexts = ids.Select(id => id.ToString()).ToArray();
        var channel = escalation.Channel;

        // One round trip for everything the choice reads. The locks come later, on the person chosen.
        await session.BeginTransactionAsync(ct);
        var batch = session.CreateBatchQuery();
        var presenceOf = batch.LoadMany<OperatorPresence>().ById(ids);
        var loadsOf = batch.Query<Load>(LoadsSql(session), channel, session.TenantId, idTexts);
        var turnsOf = batch.LoadMany<AssignmentTurn>().ById(ids);
        await batch.Execute(ct);
        var presence = (await presenceOf).ToDictionary(p => p.Id);
        var loads = (await loadsOf).Select(load => load.Without(heldBy)).ToDictionary(load => load.PersonId);
        var turns = (await turnsOf).ToDictionary(turn => turn.Id, turn => turn.Turn);

        int offline = 0, full = 0, passed = 0, unskilled = 0;
        var candidates = new List<Candidate>();
        var limits = new Dictionary<Guid, (int All, int OnChannel)>();
        foreach (var (team, member, order) in members)
        {
            var id = member.PersonId.ToString();
            if (escalation.PassedBy.Contains(id)) { passed++; continue; }
            if (OperatorPresence.Effective(presence.GetValueOrDefault(member.PersonId), now) != PresenceStatuses.Online) { offline++; continue; }
            if (!AssignmentStrategy.HasSkills(member.Skills, requiredSkills)) { unskilled++; continue; }
            var load = loads.GetValueOrDefault(id) ?? new Load(id, 0, 0);
            var limit = (member.Capacity, member.ChannelCapacity.TryGetValue(channel, out var cap) ? cap : int.MaxValue);
            if (!load.Fits(limit)) { full++; continue; }
            limits[member.PersonId] = limit;
            // Named once chosen: reading every candidate's membership cost more than the rest of the read.
            candidates.Add(new Candidate(member.PersonId, id, load.All, member.Capacity, member.Skills,
                turns.TryGetValue(member.PersonId, out var turn) ? turn : null, order));
        }

        var (chosen, filledMeanwhile, busy) = await LockFirstWithRoomAsync(session, AssignmentStrategy.Rank(primary.Strategy, candidates, requiredSkills), limits, heldBy, channel, mayWait, ct);
        if (chosen is null && busy > 0) return AssignmentDecision.NotWaited;
        full += filledMeanwhile;
        var teamNames = string.Join(" + ", pool.Select(t => t.Name));
        var prefix = context is null ? "" : context + "; ";
        if (chosen is null)
        {
            var why = $"{prefix}nobody in {teamNames} can take it now: {Count(offline, "not online")}{Count(full, "at capacity")}{Count(passed, "passed on it")}{Count(unskilled, "without the skills")}".TrimEnd(',', ' ');
            if (members.Count == 0) why = $"{prefix}{teamNames} has no members";
            return new AssignmentDecision([new EscalationQueued(escalation.Id, escalation.TeamId ?? primary.Id, why, now)], [], []);
        }

        session.Store(new AssignmentTurn { Id = chosen.PersonId, Turn = (turns.Count == 0 ? 0 : turns.Values.Max()) + 1 });

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

    /// <summary>
    /// Takes the lock of the first candidate, in the strategy's order, that nobody else is deciding
    /// for and who still has room once locked. Only when every one with room is busy does it wait (if
    /// <paramref name="mayWait"/>), for each in order. A lock stays held until the transaction ends, so
    /// two decisions waiting on each other's people is possible then; PostgreSQL breaks that deadlock
    /// and the handler runs again (<see cref="IsDeadlock"/>).
    /// </summary>
    /// <returns>
    /// The candidate with their load as it is now, how many turned out full once locked, and how many
    /// were busy and not waited for.
    /// </returns>
    static async Task<(Candidate? Chosen, int FilledMeanwhile, int Busy)> LockFirstWithRoomAsync(
        IDocumentSession session, IReadOnlyList<Candidate> ranked, Dictionary<Guid, (int All, int OnChannel)> limits, string? heldBy, string channel, bool mayWait, CancellationToken ct)
    {
        var filled = 0;
        List<Candidate> busy = [];
        bool[] passes = mayWait ? [false, true] : [false];
        foreach (var wait in passes)
        {
            foreach (var candidate in wait ? busy : ranked)
            {
                var (locked, load, name) = await LockAsync(session, candidate.PersonId, wait, heldBy, channel, ct);
                if (!locked) { busy.Add(candidate); continue; }
                if (load.Fits(limits[candidate.PersonId])) return (candidate with { Load = load.All, Name = name ?? candidate.Name }, filled, 0);
                filled++;
            }
            // Waited for: none of them is busy any more.
            if (wait) busy.Clear();
        }
        return (null, filled, busy.Count);
    }

    /// <summary>One round trip: the person's lock (waiting for it, or only trying), then their load as it is once locked, and their name.</summary>
    static async Task<(bool Locked, Load Load, string? Name)> LockAsync(IDocumentSession session, Guid personId, bool wait, string? heldBy, string channel, CancellationToken ct)
    {
        var key = $"awaithuman-assignment:{session.TenantId}:{personId}";
        var id = personId.ToString();
        var batch = session.CreateBatchQuery();
        // Statements in a batch run in order, so the load is read after the lock is granted.
        var locking = batch.Query<string>(wait
            ? "select 'locked' from pg_advisory_xact_lock(hashtextextended(?, 0))"
            : "select case when pg_try_advisory_xact_lock(hashtextextended(?, 0)) then 'locked' else 'busy' end", key);
        var loadOf = batch.Query<Load>(LoadsSql(session), channel, session.TenantId, new[] { id });
        var membershipOf = batch.Query<Membership>().Where(m => m.PersonId == personId).FirstOrDefault();
        await batch.Execute(ct);
        var locked = (await locking).SingleOrDefault() == "locked";
        return (locked, ((await loadOf).SingleOrDefault() ?? new Load(id, 0, 0)).Without(heldBy), (await membershipOf)?.Email);
    }

    /// <summary>Two decisions each waited for a person the other had locked; PostgreSQL ended one, which runs again.</summary>
    public static bool IsDeadlock(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected }) return true;
        return false;
    }

    /// <summary>What a person holds: escalations they own or have an open offer of, in all and on one channel.</summary>
    sealed record Load(string PersonId, int All, int OnChannel)
    {
        public bool Fits((int All, int OnChannel) limit) => All < limit.All && OnChannel < limit.OnChannel;

        /// <summary>The load without the escalation being decided, when this person holds it as stored (on its own channel).</summary>
        public Load Without(string? heldBy) => heldBy == PersonId ? new(PersonId, All - 1, OnChannel - 1) : this;
    }

    /// <summary>
    /// The loads of the people asked for, one row each, from the counts PostgreSQL keeps
    /// (<see cref="AssignmentLoads"/>). Parameters: channel, tenant, people.
    /// </summary>
    static string LoadsSql(IQuerySession session) => $"""
        select jsonb_build_object('PersonId', person_id, 'All', sum(held), 'OnChannel', coalesce(sum(held) filter (where channel = ?), 0))
        from {session.DocumentStore.Options.DatabaseSchemaName}.{AssignmentLoads.TableName}
        where tenant_id = ? and person_id = any(?)
        group by person_id
        """;

    static string Count(int count, string what) => count == 0 ? "" : $"{count} {what}, ";

    static string Strategy(string strategy) => strategy.Replace('_', ' ');

    /// <summary>The teams an escalation may go to: its routed team first, then those it was widened to.</summary>
    public static async Task<IReadOnlyList<Team>> PoolOfAsync(IQuerySession session, Escalation escalation, CancellationToken ct)
    {
        var ids = escalation.TeamIds.Count > 0 ? escalation.TeamIds.ToArray() : escalation.TeamId is { } team ? [team] : [];
        if (ids.Length == 0) return [];
        var teams = await session.LoadManyAsync<Team>(ct, ids);
        return ids.Select(id => teams.FirstOrDefault(t => t.Id == id)).OfType<Team>().ToList();
    }
}
