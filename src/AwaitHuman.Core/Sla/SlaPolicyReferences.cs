using Marten;

namespace AwaitHuman.Core.Sla;

/// <summary>
/// Whether the tenant's setup still applies an SLA policy, which keeps the policy from being deleted.
/// Routing implements it: its rules apply policies, and Sla, a floor below Routing, does not read them.
/// </summary>
public interface ISlaPolicyReferences
{
    Task<bool> IsAppliedAsync(IQuerySession session, Guid policyId, CancellationToken ct);
}
