using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using Marten;

namespace AwaitHuman.Core.Members;

/// <summary>Membership changes shared by signup, the admin command line and the members API.</summary>
public static class MemberRegistry
{
    public static Guid Add(IDocumentSession session, Guid personId, string email, string role, Actor by, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        session.Events.StartStream<Membership>(id, new MemberAdded(id, personId, email, role, by, now));
        return id;
    }

    /// <summary>
    /// Records a change to a person (who is global) in the audit trail of every tenant they belong to,
    /// since each tenant's admins answer for their people. Where it came from (the source address) is
    /// the business of the tenant it was done in only: <paramref name="actedInTenantId"/>, or the
    /// person's one tenant when none was named; the others see the event without it.
    /// </summary>
    /// <param name="change">The event for one membership, given the actor as that tenant may see them.</param>
    public static async Task RecordForPersonAsync(
        IDocumentStore store, Guid personId, string? actedInTenantId, Actor by, Func<Membership, Actor, ISecurityEvent> change, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var memberships = await OfPersonAcrossTenantsAsync(query, personId, ct);
        var seenFrom = actedInTenantId ?? (memberships.Count == 1 ? memberships[0].TenantId : null);
        foreach (var membership in memberships)
        {
            await using var session = store.LightweightSession(membership.TenantId);
            session.Events.Append(membership.Id, change(membership, membership.TenantId == seenFrom ? by : by with { SourceIp = null }));
            await session.SaveChangesAsync(ct);
        }
    }

    /// <summary>Each of the person's memberships with its tenant, whatever the tenant's status.</summary>
    public static async Task<IReadOnlyList<(Tenant Tenant, Membership Membership)>> TenantsOfPersonAsync(IQuerySession session, Guid personId, CancellationToken ct)
    {
        var memberships = await OfPersonAcrossTenantsAsync(session, personId, ct);
        var tenants = (await session.FindManyAcrossTenantsAsync(memberships.Select(m => Guid.Parse(m.TenantId)).ToArray(), ct))
            .ToDictionary(tenant => tenant.TenantId);
        return memberships.Where(m => tenants.ContainsKey(m.TenantId)).Select(m => (tenants[m.TenantId], m)).ToList();
    }

    /// <summary>The person's memberships in every tenant: who they are is global, where they work is not.</summary>
    public static Task<IReadOnlyList<Membership>> OfPersonAcrossTenantsAsync(IQuerySession session, Guid personId, CancellationToken ct) =>
        session.Query<Membership>().Where(m => m.AnyTenant() && m.PersonId == personId).ToListAsync(ct);
}
