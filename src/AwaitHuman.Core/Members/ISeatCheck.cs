using AwaitHuman.Core.UseCases;
using Marten;

namespace AwaitHuman.Core.Members;

/// <summary>
/// Whether one more person may get console access. Billing implements it (its seats); it lives here
/// so that the ways people join from a lower floor (single sign-on's provisioning) can ask.
/// </summary>
public interface ISeatCheck
{
    /// <summary>A refusal naming the field it belongs to when no seat is free; null when one is (or billing is off).</summary>
    Task<Failure?> RefuseOneMoreAsync(IQuerySession session, Guid tenantId, string field, CancellationToken ct);
}
