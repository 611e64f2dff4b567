using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using Microsoft.Extensions.Time.Testing;

namespace AwaitHuman.Core.Tests.Sla;

public class SlaLadderTests
{
    static readonly Guid Legal = Guid.NewGuid();

    static SlaPolicy Policy() => new()
    {
        Id = Guid.NewGuid(), Name = "Gold", FirstResponseSeconds = 300, ResolutionSeconds = 3600,
        Steps = [new(120, SlaActions.Reassign), new(240, SlaActions.NotifySupervisors), new(360, SlaActions.Widen, Legal), new(900, SlaActions.TimeOut)],
    };

    static Escalation Opened(FakeTimeProvider clock, DateTimeOffset? deadline = null) => Escalation.Create(new EscalationOpened(
        Guid.NewGuid(), "handoff", "refund_dispute", null, 0.4, "high", null, new Customer(null, null, null, null, null, null), [], null, null, null, null,
        deadline, Participant.System, clock.GetUtcNow()));

    /// <summary>Moves the clock to each timer in turn and applies what it decides, as the scheduled messages would.</summary>
    static List<object> Climb(FakeTimeProvider clock, Escalation escalation, (SlaCheckpoint Timer, DateTimeOffset At)[] timers, Action<Escalation, DateTimeOffset>? before = null)
    {
        var happened = new List<object>();
        foreach (var (timer, at) in timers.OrderBy(t => t.At))
        {
            clock.SetUtcNow(at);
            before?.Invoke(escalation, at);
            foreach (var e in SlaLadder.Decide(escalation, timer, clock.GetUtcNow()).Events)
            {
                escalation.Advance(e);
                happened.Add(e);
            }
        }
        return happened;
    }

    [Fact]
    public void Without_an_answer_the_ladder_climbs_to_an_honest_no_operator_available()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z"));
        var escalation = Opened(clock);
        var (applied, timers) = SlaLadder.Apply(escalation, Policy(), BusinessCalendar.AlwaysOpen, "routed by rule 1 v1", clock.GetUtcNow());
        escalation.Advance(applied);
        applied.FirstResponseDueAt.ShouldBe(clock.GetUtcNow().AddMinutes(5));
        timers.Length.ShouldBe(6);

        var happened = Climb(clock, escalation, timers);
        happened.OfType<SlaBreached>().Select(b => b.Target).ShouldBe([SlaLadder.FirstResponse]);
        var timedOut = happened.OfType<EscalationTimedOut>().Single();
        timedOut.HandBack.Outcome.ShouldBe(Outcomes.NoOperatorAvailable);
        timedOut.At.ShouldBe(DateTimeOffset.Parse("2026-11-24T10:15:00Z"));
        escalation.Status.ShouldBe(EscalationStatuses.TimedOut);
    }

    [Fact]
    public void An_owner_who_stays_silent_loses_it_and_the_timeout_says_timed_out()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z"));
        var escalation = Opened(clock);
        var (applied, timers) = SlaLadder.Apply(escalation, Policy(), BusinessCalendar.AlwaysOpen, "rule", clock.GetUtcNow());
        escalation.Advance(applied);
        var ada = new Participant("person", Guid.NewGuid().ToString(), "ada");
        escalation.Advance(new EscalationAssigned(escalation.Id, ada, null, clock.GetUtcNow().AddMinutes(15), "assigned", clock.GetUtcNow()));

        var reassign = SlaLadder.Decide(escalation, timers.Single(t => t.Timer.Step == 0).Timer, clock.GetUtcNow().AddMinutes(2));
        reassign.Reassign.ShouldBeTrue();
        reassign.Events.OfType<EscalationUnassigned>().Single().Operator.ShouldBe(ada);
        SlaLadder.Decide(escalation, timers.Single(t => t.Timer.Step == 2).Timer, clock.GetUtcNow()).WidenTo.ShouldBe(Legal);

        var happened = Climb(clock, escalation, timers);
        happened.OfType<EscalationTimedOut>().Single().HandBack.Outcome.ShouldBe(Outcomes.TimedOut);
    }

    [Fact]
    public void Once_a_human_answers_the_ladder_stops_and_only_the_resolution_target_counts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z"));
        var escalation = Opened(clock);
        var (applied, timers) = SlaLadder.Apply(escalation, Policy(), BusinessCalendar.AlwaysOpen, "rule", clock.GetUtcNow());
        escalation.Advance(applied);
        var ada = new Participant("person", Guid.NewGuid().ToString(), "ada");

        var happened = Climb(clock, escalation, timers, (e, at) =>
        {
            if (at >= DateTimeOffset.Parse("2026-11-24T10:01:00Z") && e.FirstResponseAt is null)
                e.Advance(new OperatorReplied(e.Id, new TranscriptEntry(Guid.NewGuid(), "operator", "Hi", at, ada), null, at.AddMinutes(15), at));
        });
        happened.ShouldHaveSingleItem().ShouldBeOfType<SlaBreached>().Target.ShouldBe(SlaLadder.Resolution);
        escalation.Status.ShouldBe(EscalationStatuses.WaitingForHuman);
    }

    [Fact]
    public void The_agent_deadline_wins_when_it_comes_first_and_stale_timers_do_nothing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z"));
        var escalation = Opened(clock, deadline: DateTimeOffset.Parse("2026-11-24T10:10:00Z"));
        var (applied, timers) = SlaLadder.Apply(escalation, Policy(), BusinessCalendar.AlwaysOpen, "rule", clock.GetUtcNow());
        applied.Ladder.Select(s => s.Action).ShouldNotContain(SlaActions.TimeOut);
        escalation.Advance(applied);

        var stale = timers[0].Timer with { AppliedAt = clock.GetUtcNow().AddMinutes(-1) };
        SlaLadder.Decide(escalation, stale, clock.GetUtcNow().AddHours(1)).ShouldBe(SlaOutcome.Nothing);
    }

    [Fact]
    public void Business_hours_policies_stop_the_clock_while_the_team_is_closed()
    {
        // Friday 16:00 in Berlin; a 2-hour first-response target lands on Monday 10:00 Berlin.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T15:00:00Z"));
        var calendar = BusinessCalendar.Of(new BusinessHours("Europe/Berlin",
            new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(d => new OpeningHours(d, "09:00", "17:00")).ToArray(), []));
        var policy = Policy();
        policy.FirstResponseSeconds = 7200;
        policy.BusinessHoursOnly = true;
        var (applied, _) = SlaLadder.Apply(Opened(clock), policy, calendar, "rule", clock.GetUtcNow());
        applied.FirstResponseDueAt.ShouldBe(DateTimeOffset.Parse("2026-11-30T09:00:00Z"));
    }
}
