using Marten;

namespace AwaitHuman.Core.Tenancy;

/// <summary>
/// The platform's list of tenants. Its queries read across tenants on purpose (that is what a
/// directory is); nothing else in the product does.
/// </summary>
public static class TenantDirectory
{
    /// <summary>The tenant this slug names now or named before (<see cref="Tenant.FormerSlugs"/>): a slug is never reused.</summary>
    public static Task<Tenant?> FindBySlugAcrossTenantsAsync(this IQuerySession session, string slug, CancellationToken ct) =>
        session.Query<Tenant>().Where(tenant => tenant.AnyTenant() && (tenant.Slug == slug || tenant.FormerSlugs.Contains(slug))).FirstOrDefaultAsync(ct);

    public static Task<Tenant?> FindByIdAcrossTenantsAsync(this IQuerySession session, Guid tenantId, CancellationToken ct) =>
        session.Query<Tenant>().Where(tenant => tenant.AnyTenant() && tenant.Id == tenantId).FirstOrDefaultAsync(ct);

    public static Task<IReadOnlyList<Tenant>> FindManyAcrossTenantsAsync(this IQuerySession session, IReadOnlyCollection<Guid> tenantIds, CancellationToken ct) =>
        session.Query<Tenant>().Where(tenant => tenant.AnyTenant() && tenantIds.Contains(tenant.Id)).ToListAsync(ct);
}
