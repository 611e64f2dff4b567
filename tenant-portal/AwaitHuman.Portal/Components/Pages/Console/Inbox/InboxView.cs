using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using Marten;

namespace AwaitHuman.Portal.Components.Pages.Console.Inbox;

/// <summary>One of the inbox's views: Mine, Unassigned, a team, All, Waiting on customer, Resolved.</summary>
/// <param name="Key">Stable id for the address bar (<c>?view=</c>) and tests: mine, unassigned, team:{id}, all, waiting, resolved.</param>
public sealed record InboxView(string Key, string Title, Guid? TeamId = null)
{
    public static readonly InboxView Mine = new("mine", "Mine");
    public static readonly InboxView Unassigned = new("unassigned", "Unassigned");
    public static readonly InboxView All = new("all", "All");
    public static readonly InboxView WaitingOnCustomer = new("waiting", "Waiting on customer");
    public static readonly InboxView Resolved = new("resolved", "Resolved");

    public static InboxView OfTeam(Team team) => new($"team:{team.Id}", team.Name, team.Id);

    /// <summary>The views this person has: every team they are in; All for supervisors and above.</summary>
    public static async Task<IReadOnlyList<InboxView>> ForAsync(IQuerySession session, Caller caller, CancellationToken ct)
    {
        var me = caller.PersonId!.Value;
        var teams = await session.Query<Team>().Where(t => t.Members.Any(m => m.PersonId == me)).OrderBy(t => t.Name).ToListAsync(ct);
        return
        [
            Mine, Unassigned, .. teams.Select(OfTeam),
            .. Roles.IsAtLeast(caller.Role, Roles.Supervisor) ? new[] { All } : [],
            WaitingOnCustomer, Resolved,
        ];
    }
}

/// <summary>The filters above the list; empty means any.</summary>
public sealed record InboxFilter(
    string? Status = null, string? Priority = null, string? Reason = null, string? Channel = null, Guid? TeamId = null, string? Agent = null, string? Search = null);

/// <summary>The inbox's list query: a view, filters and a search, most urgent SLA first.</summary>
public static class InboxQuery
{
    public const int PageSize = 100;

    static readonly string[] Open = [EscalationStatuses.WaitingForHuman, EscalationStatuses.WithHuman];
    static readonly string[] Ended = [EscalationStatuses.Resolved, EscalationStatuses.Cancelled, EscalationStatuses.TimedOut];

    public static async Task<IReadOnlyList<EscalationSummary>> RunAsync(IQuerySession session, Caller caller, InboxView view, InboxFilter filter, CancellationToken ct)
    {
        var query = Of(session, caller, view);
        if (filter.Status is { Length: > 0 } status) query = query.Where(s => s.Status == status);
        if (filter.Priority is { Length: > 0 } priority) query = query.Where(s => s.Priority == priority);
        // Typed, not picked: part of the code or name, in any case, is enough.
        if (filter.Reason?.Trim() is { Length: > 0 } reason) query = query.Where(s => s.Reason.Contains(reason, StringComparison.OrdinalIgnoreCase));
        if (filter.Channel is { Length: > 0 } channel) query = query.Where(s => s.Channel == channel);
        if (filter.TeamId is { } teamId) query = query.Where(s => s.TeamIds.Contains(teamId.ToString()));
        if (filter.Agent?.Trim() is { Length: > 0 } agent) query = query.Where(s => s.AgentName!.Contains(agent, StringComparison.OrdinalIgnoreCase));
        if (filter.Search?.Trim() is { Length: > 0 } search)
            query = query.Where(s => s.CustomerName!.Contains(search, StringComparison.OrdinalIgnoreCase)
                || s.Summary!.Contains(search, StringComparison.OrdinalIgnoreCase)
                || s.ExternalRef == search);

        // Resolved work is read newest first; open work by the nearest SLA target, then oldest first.
        if (view == InboxView.Resolved)
            return await query.OrderByDescending(s => s.UpdatedAt).Take(PageSize).ToListAsync(ct);
        // PostgreSQL sorts the escalations without an SLA target last; version 7 ids order by creation.
        return await query.OrderBy(s => s.SlaDueAt).ThenBy(s => s.Id).Take(PageSize).ToListAsync(ct);
    }

    /// <summary>How many escalations each view lists, without filters, in one round trip.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync(IQuerySession session, Caller caller, IReadOnlyList<InboxView> views, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var counts = views.Select(view => (view.Key, Count: batch.Query<EscalationSummary>().Where(Predicate(caller, view)).Count())).ToList();
        await batch.Execute(ct);
        var result = new Dictionary<string, int>();
        foreach (var (key, count) in counts) result[key] = (int)await count;
        return result;
    }

    /// <summary>The view with work for the person: Mine, else Unassigned, else their first team with work; Mine when all are empty.</summary>
    public static InboxView WithWork(IReadOnlyList<InboxView> views, IReadOnlyDictionary<string, int> counts) =>
        views.Where(v => v == InboxView.Mine || v == InboxView.Unassigned || v.TeamId is not null)
            .FirstOrDefault(v => counts.GetValueOrDefault(v.Key) > 0) ?? InboxView.Mine;

    static IQueryable<EscalationSummary> Of(IQuerySession session, Caller caller, InboxView view) =>
        session.Query<EscalationSummary>().Where(Predicate(caller, view));

    static System.Linq.Expressions.Expression<Func<EscalationSummary, bool>> Predicate(Caller caller, InboxView view)
    {
        var me = caller.PersonId!.Value.ToString();
        var team = view.TeamId?.ToString();
        return view.Key switch
        {
            // What I own, and what is offered to me to accept.
            "mine" => s => (s.OperatorId == me && s.Status == EscalationStatuses.WithHuman) || s.OfferedToId == me,
            "unassigned" => s => s.Status == EscalationStatuses.WaitingForHuman,
            "waiting" => s => Open.Contains(s.Status) && s.LastMessageRole == "operator",
            "resolved" => s => Ended.Contains(s.Status),
            "all" when Roles.IsAtLeast(caller.Role, Roles.Supervisor) => s => s.Id != Guid.Empty,
            _ when team is not null => s => s.TeamIds.Contains(team) && Open.Contains(s.Status),
            // A view the person may not have (All for an operator) shows their own.
            _ => s => s.OperatorId == me,
        };
    }
}
