using Marten;

namespace AwaitHuman.Core.Teams;

/// <summary>
/// Where the tenant's setup still names a team, which keeps the team from being deleted. Routing
/// implements it: its rules name teams, and Teams, a floor below Routing, does not read them.
/// </summary>
public interface ITeamReferences
{
    /// <summary>What names the team, e.g. "rule 2", or null when nothing does.</summary>
    Task<string?> FindAsync(IQuerySession session, Guid teamId, CancellationToken ct);
}
