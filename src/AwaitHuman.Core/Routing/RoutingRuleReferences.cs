using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using Marten;

namespace AwaitHuman.Core.Routing;

/// <summary>The routing rules as what keeps the teams and SLA policies they name from being deleted.</summary>
public sealed class RoutingRuleReferences : ITeamReferences, ISlaPolicyReferences
{
    public Task<string?> FindAsync(IQuerySession session, Guid teamId, CancellationToken ct) =>
        RoutingRuleSet.ReferencesTeamAsync(session, teamId, ct);

    public async Task<bool> IsAppliedAsync(IQuerySession session, Guid policyId, CancellationToken ct)
    {
        var rules = await session.LoadAsync<RoutingRuleSet>(RoutingRuleSet.IdFor(session.TenantId), ct);
        return rules is not null && (rules.Rules.Any(r => r.Then.ApplySlaPolicy == policyId) || rules.Default?.ApplySlaPolicy == policyId);
    }
}
