using System.Globalization;
using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using Marten;
using JasperFx;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace AwaitHuman.Core.Routing;

/// <summary>Published through the outbox in the transaction that opens an escalation: route it, off the request path.</summary>
public sealed record RouteEscalation(Guid EscalationId);

/// <summary>
/// For a channel connector: tell the customer when to expect a human. Published with the
/// <see cref="CustomerAcknowledged"/> event; until a connector handles it Wolverine has no route for it.
/// </summary>
public sealed record AcknowledgeCustomer(Guid EscalationId, string Channel, string Message, DateTimeOffset ReplyBy);

public static class RouteEscalationHandler
{
    /// <summary>
    /// Two steps on one escalation at once (an SLA step and an operator's reply), or two decisions
    /// waiting on each other's people: the loser decides again on the new state.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().Or(Assigner.IsDeadlock).RetryWithCooldown(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));

    public const string DefaultAcknowledgement = "Thanks for your patience. A member of our team will reply by {reply_by}.";

    /// <summary>Routes an escalation whose opening could not decide without waiting (<see cref="StartRoutedAsync"/>).</summary>
    public static async Task Handle(RouteEscalation message, IDocumentSession session, IMessageBus bus, RoutingSetupCache cache, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is not { } escalation || escalation.IsFinal || escalation.Routing.Any(note => note.What == "routed")) return;
        // No rules: the escalation waits in the tenant's one queue, as before routing existed.
        if (await cache.SetupAsync(session, ct) is not { Rules: { } rules } setup) return;

        var work = new RoutingWork(session, bus, escalation);
        await RouteAsync(work, rules, setup.Teams, clock.GetUtcNow(), ct);
        await work.CommitAsync(stream);
    }

    /// <summary>
    /// Starts a new escalation's stream with its routing decided in the same transaction, so the
    /// right person holds it the moment it exists and no second transaction rewrites it. Deciding
    /// here never waits for a person another decision holds: when every candidate with room is
    /// being decided for right now, the stream starts unrouted and <see cref="RouteEscalation"/>
    /// decides after the commit.
    /// </summary>
    /// <returns>The escalation as it will be stored.</returns>
    public static async Task<Escalation> StartRoutedAsync(EscalationOpened opened, IDocumentSession session, IMessageBus bus, RoutingSetupCache cache, CancellationToken ct)
    {
        var escalation = Escalation.Create(opened);
        if (await cache.SetupAsync(session, ct) is { Rules: { } rules } setup)
        {
            var work = new RoutingWork(session, bus, escalation, mayWait: false);
            await RouteAsync(work, rules, setup.Teams, opened.At, ct);
            if (!work.Deferred)
            {
                session.Events.StartStream<Escalation>(opened.EscalationId, [opened, .. work.Events]);
                await work.SendAsync();
                return work.State;
            }
            await bus.PublishAsync(new RouteEscalation(opened.EscalationId));
        }
        session.Events.StartStream<Escalation>(opened.EscalationId, opened);
        return escalation;
    }

    /// <summary>Evaluates the rules for <paramref name="work"/>'s escalation and adds what the matching rule does.</summary>
    static async Task RouteAsync(RoutingWork work, CompiledRuleSet rules, IReadOnlyList<Team> teams, DateTimeOffset now, CancellationToken ct)
    {
        var escalation = work.State;
        var calendars = teams.ToDictionary(t => t.Id, t => new TeamCalendar(t.Name, BusinessCalendar.Of(t.BusinessHours)));
        var match = rules.Evaluate(RoutingFacts.Of(escalation), calendars, now);
        var actions = match.Actions ?? new RuleActions();
        var team = actions.RouteToTeam is { } teamId ? teams.FirstOrDefault(t => t.Id == teamId) : null;
        var calendar = team is null ? BusinessCalendar.AlwaysOpen : calendars[team.Id].Calendar;

        work.Add(new EscalationRouted(escalation.Id, team?.Id, team?.Name, match.Version, match.Position, match.Why, now));
        if (actions.SetPriority is { } priority && priority != escalation.Priority)
            work.Add(new EscalationPriorityChanged(escalation.Id, escalation.Priority, priority, match.Why, now));
        if (actions.ApplySlaPolicy is { } policyId && await work.Session.LoadAsync<SlaPolicy>(policyId, ct) is { } policy)
        {
            var (applied, timers) = SlaLadder.Apply(work.State, policy, calendar, match.Why, now);
            work.Add(applied);
            foreach (var (timer, at) in timers) work.Schedule(timer, at);
        }
        if (actions.Notify is { Length: > 0 } people) work.Add(new PeopleNotified(escalation.Id, people, match.Why, now));

        if (actions.RouteToOperator is { } personId)
        {
            var member = teams.SelectMany(t => t.Members).FirstOrDefault(m => m.PersonId == personId)
                ?? new TeamMember(personId, [], Team.DefaultCapacity, [], false);
            var direct = new Team { Id = team?.Id ?? Guid.Empty, Name = $"the rule's operator", Members = [member], Assignment = team?.Assignment ?? AssignmentModes.Direct, OfferSeconds = team?.OfferSeconds ?? Team.DefaultOfferSeconds };
            await work.AssignAsync(team is null ? [direct] : [direct, team], actions.RequireSkills, now, ct);
        }
        else if (team is not null) await work.AssignAsync([team], actions.RequireSkills, now, ct);
        if (work.Deferred) return;

        if (actions.Acknowledge is { } acknowledge)
        {
            var replyBy = await ReplyByAsync(work.Session, work.State, team, calendar, now, ct);
            var text = (acknowledge.Message ?? DefaultAcknowledgement).Replace("{reply_by}", Format(replyBy, calendar, escalation.Customer.Locale));
            work.Add(new CustomerAcknowledged(escalation.Id, escalation.Channel, text, replyBy, now));
            work.Publish(new AcknowledgeCustomer(escalation.Id, escalation.Channel, text, replyBy));
        }
    }

    /// <summary>
    /// The promise to the customer: the SLA's first-response target when one applies, else the
    /// queue's estimated wait, counted in the team's working time.
    /// </summary>
    static async Task<DateTimeOffset> ReplyByAsync(IDocumentSession session, Escalation escalation, Team? team, BusinessCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        if (escalation.Sla is { } sla) return sla.FirstResponseDueAt;
        if (team is null) return calendar.AddWorkingTime(now, TimeSpan.FromSeconds(Team.DefaultAverageHandleSeconds));
        if (escalation.Status == EscalationStatuses.WithHuman || escalation.Offer is not null) return calendar.AddWorkingTime(now, TimeSpan.FromSeconds(Math.Min(team.AverageHandleSeconds, 900)));
        return calendar.AddWorkingTime(now, await QueueEstimate.WaitAsync(session, team, escalation.Id, now, ct));
    }

    static string Format(DateTimeOffset instant, BusinessCalendar calendar, string? locale)
    {
        CultureInfo culture;
        try { culture = locale is null ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(locale); }
        catch (CultureNotFoundException) { culture = CultureInfo.InvariantCulture; }
        var local = TimeZoneInfo.ConvertTime(instant, calendar.Zone);
        return $"{local.ToString("f", culture)} ({calendar.Zone.Id})";
    }
}

/// <summary>The events, timers and messages of one routing or assignment step, applied to a copy of the escalation as they are decided.</summary>
/// <param name="mayWait">
/// Whether a decision may wait for a person another decision holds; when it may not and would have
/// to, nothing is assigned and <see cref="Deferred"/> says so.
/// </param>
public sealed class RoutingWork(IDocumentSession session, IMessageBus bus, Escalation loaded, bool mayWait = true)
{
    readonly List<object> _events = [];
    readonly List<(object Message, DateTimeOffset At)> _timers = [];
    readonly List<object> _messages = [];

    public IDocumentSession Session => session;

    /// <summary>The escalation with the events so far; the loaded one stays as Marten read it.</summary>
    public Escalation State { get; } = loaded.Copy();

    public IReadOnlyList<object> Events => _events;

    public int Count => _events.Count;

    /// <summary>Assignment would have had to wait for a person another decision holds, which this work may not.</summary>
    public bool Deferred { get; private set; }

    public void Add(object e)
    {
        _events.Add(e);
        State.Advance(e);
    }

    public void AddRange(IEnumerable<object> events)
    {
        foreach (var e in events) Add(e);
    }

    public void Schedule(object message, DateTimeOffset at) => _timers.Add((message, at));

    public void Publish(object message) => _messages.Add(message);

    public async Task AssignAsync(IReadOnlyList<Team> pool, IReadOnlyDictionary<string, int>? skills, DateTimeOffset now, CancellationToken ct, string? context = null)
    {
        var heldBy = loaded.Status == EscalationStatuses.WithHuman ? loaded.Operator?.Id : loaded.Offer?.Operator.Id;
        var decision = await Assigner.DecideAsync(session, State, heldBy, pool, skills, now, ct, context, mayWait);
        if (decision.WouldWait)
        {
            Deferred = true;
            return;
        }
        // Queued twice says nothing new.
        if (decision.Events is [EscalationQueued] && State.QueuedAt is not null) return;
        AddRange(decision.Events);
        for (var i = 0; i < decision.Timers.Length; i++) Schedule(decision.Timers[i], decision.TimerTimes[i]!.Value);
    }

    public async Task CommitAsync(JasperFx.Events.IEventStream<Escalation> stream)
    {
        if (_events.Count == 0) return;
        stream.AppendMany(_events);
        await SendAsync();
    }

    /// <summary>The timers, notices and messages of the events added, through the outbox, so they go out only if the events commit.</summary>
    public async Task SendAsync()
    {
        foreach (var (message, at) in _timers) await bus.ScheduleAsync(message, at);
        foreach (var notified in _events.OfType<PeopleNotified>().Where(e => e.PersonIds.Length > 0))
            await bus.PublishAsync(new PeopleNotifications.NotifyPeople(Guid.CreateVersion7(), notified.EscalationId, notified.PersonIds, notified.Why));
        foreach (var message in _messages) await bus.PublishAsync(message);
    }
}
