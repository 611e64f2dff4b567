using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Teams;
using Marten;

namespace AwaitHuman.Core.Escalations;

/// <param name="Position">1 for the next one to be taken.</param>
public sealed record QueuePosition(Guid TeamId, string TeamName, int Position, int EstimatedWaitSeconds);

/// <summary>
/// Where a queued escalation stands in its team's queue and how long it will likely wait: the ones
/// ahead of it, shared among the members who are online, each taking the team's average handling time.
/// </summary>
public static class QueueEstimate
{
    public static async Task<QueuePosition?> OfAsync(IQuerySession session, Escalation escalation, DateTimeOffset now, CancellationToken ct)
    {
        if (escalation.QueuedAt is null || escalation.TeamId is not { } teamId || escalation.Status != EscalationStatuses.WaitingForHuman) return null;
        var team = await session.LoadAsync<Team>(teamId, ct);
        if (team is null) return null;
        var ahead = await AheadAsync(session, teamId, escalation.Id, escalation.CreatedAt, ct);
        return new QueuePosition(teamId, team.Name, ahead + 1, (int)(await WaitAsync(session, team, ahead, now, ct)).TotalSeconds);
    }

    public static async Task<TimeSpan> WaitAsync(IQuerySession session, Team team, Guid escalationId, DateTimeOffset now, CancellationToken ct) =>
        await WaitAsync(session, team, await AheadAsync(session, team.Id, escalationId, now, ct), now, ct);

    static async Task<TimeSpan> WaitAsync(IQuerySession session, Team team, int ahead, DateTimeOffset now, CancellationToken ct)
    {
        var ids = team.Members.Select(m => m.PersonId).ToArray();
        var online = (await session.LoadManyAsync<OperatorPresence>(ct, ids)).Count(p => OperatorPresence.Effective(p, now) == PresenceStatuses.Online);
        return TimeSpan.FromSeconds((double)team.AverageHandleSeconds * (ahead + 1) / Math.Max(1, online));
    }

    /// <summary>
    /// The queued escalations that arrived before <paramref name="arrivedAt"/>: the queue is served in
    /// order of arrival (as the drain takes them), not in the order routing happened to queue them.
    /// </summary>
    static Task<int> AheadAsync(IQuerySession session, Guid teamId, Guid escalationId, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var team = teamId.ToString();
        return session.Query<EscalationSummary>()
            .CountAsync(s => s.TeamIds.Contains(team) && s.Status == EscalationStatuses.WaitingForHuman && s.QueuedAt != null && s.CreatedAt < arrivedAt && s.Id != escalationId, ct);
    }
}
