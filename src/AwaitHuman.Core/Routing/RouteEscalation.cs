using System.Globalization;
using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using JasperFx;
using Marten;
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
