using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Teams;

namespace AwaitHuman.Core.Sla;

/// <summary>
/// A durable timer of an applied SLA policy (Wolverine scheduled message, kept in the outbox tables
/// across restarts). It names the application it belongs to: a timer of an earlier application
/// (transfer, reopen) or of a met target finds nothing to do and ends quietly.
/// </summary>
/// <param name="Step">The ladder step's index, or -1 for a target.</param>
/// <param name="Target"><c>first_response</c> or <c>resolution</c> for a target's due time.</param>
public sealed record SlaCheckpoint(Guid EscalationId, DateTimeOffset AppliedAt, int Step, string? Target = null);

/// <summary>What a checkpoint asks for besides its events; the handler looks up people and teams.</summary>
public sealed record SlaOutcome(object[] Events, bool Reassign, bool NotifySupervisors, Guid? WidenTo, string Why)
{
    public static SlaOutcome Nothing { get; } = new([], false, false, null, "");
}

/// <summary>The SLA ladder as pure functions: applying a policy, and deciding what a due checkpoint does.</summary>
public static class SlaLadder
{
    public const string FirstResponse = "first_response";
    public const string Resolution = "resolution";

    /// <summary>
    /// The policy's targets and steps as instants from <paramref name="now"/> (in the team's working
    /// time when the policy says so). A time_out step after the agent's own deadline is left out:
    /// the earlier deadline wins.
    /// </summary>
    public static (SlaApplied Applied, (SlaCheckpoint Timer, DateTimeOffset At)[] Timers) Apply(Escalation escalation, SlaPolicy policy, BusinessCalendar calendar, string why, DateTimeOffset now)
    {
        DateTimeOffset Due(int seconds) => policy.BusinessHoursOnly ? calendar.AddWorkingTime(now, TimeSpan.FromSeconds(seconds)) : now.AddSeconds(seconds);
        var ladder = policy.Steps
            .Select(step => new SlaLadderStep(Due(step.AfterSeconds), step.Action, step.Team))
            .Where(step => !(step.Action == SlaActions.TimeOut && escalation.DeadlineAt <= step.DueAt))
            .ToArray();
        var applied = new SlaApplied(escalation.Id, policy.Id, policy.Name, Due(policy.FirstResponseSeconds),
            policy.ResolutionSeconds is { } resolution ? Due(resolution) : null, ladder, why, now);

        var timers = new List<(SlaCheckpoint, DateTimeOffset)> { (new SlaCheckpoint(escalation.Id, now, -1, FirstResponse), applied.FirstResponseDueAt) };
        if (applied.ResolutionDueAt is { } due) timers.Add((new SlaCheckpoint(escalation.Id, now, -1, Resolution), due));
        timers.AddRange(ladder.Select((step, index) => (new SlaCheckpoint(escalation.Id, now, index), step.DueAt)));
        return (applied, [.. timers]);
    }

    public static SlaOutcome Decide(Escalation escalation, SlaCheckpoint checkpoint, DateTimeOffset now)
    {
        if (escalation.Sla is not { } sla || sla.AppliedAt != checkpoint.AppliedAt || escalation.IsFinal) return SlaOutcome.Nothing;

        if (checkpoint.Target == FirstResponse)
            return escalation.FirstResponseAt is null && !sla.Breaches.Contains(FirstResponse)
                ? new([new SlaBreached(escalation.Id, sla.PolicyId, FirstResponse, sla.FirstResponseDueAt, now)], false, false, null, "")
                : SlaOutcome.Nothing;
        if (checkpoint.Target == Resolution)
            return sla.ResolutionDueAt is { } due && !sla.Breaches.Contains(Resolution)
                ? new([new SlaBreached(escalation.Id, sla.PolicyId, Resolution, due, now)], false, false, null, "")
                : SlaOutcome.Nothing;

        // The ladder climbs only while nobody has answered the customer.
        if (escalation.FirstResponseAt is not null || checkpoint.Step < 0 || checkpoint.Step >= sla.Ladder.Length) return SlaOutcome.Nothing;
        var step = sla.Ladder[checkpoint.Step];
        var waited = now - sla.AppliedAt;
        var why = $"SLA {sla.PolicyName} step {checkpoint.Step + 1} ({step.Action.Replace('_', ' ')}): no answer after {Describe(waited)}";
        return step.Action switch
        {
            SlaActions.Reassign => escalation switch
            {
                { Status: EscalationStatuses.WithHuman, Operator: { } owner } => new([new EscalationUnassigned(escalation.Id, owner, why, now)], true, false, null, why),
                { Offer: { } offer } => new([new EscalationOfferWithdrawn(escalation.Id, offer.Operator, why, now)], true, false, null, why),
                _ => new([], true, false, null, why),
            },
            SlaActions.NotifySupervisors => new([], false, true, null, why),
            SlaActions.Widen => new([], escalation.Status != EscalationStatuses.WithHuman, false, step.TeamId, why),
            SlaActions.TimeOut => new(EscalationRules.TimeOut(escalation, escalation.EverOwned ? Outcomes.TimedOut : Outcomes.NoOperatorAvailable, now).Events, false, false, null, why),
            _ => SlaOutcome.Nothing,
        };
    }

    static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
