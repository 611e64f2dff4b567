using JasperFx.Events.Projections;
using Marten;

namespace AwaitHuman.Core.Tenancy;

public static class TenancyConfiguration
{
    public static void ConfigureTenancy(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Tenant>(SnapshotLifecycle.Inline);
        // Slugs are unique across the platform, not per tenant (TenancyScope.Global is the default).
        opts.Schema.For<Tenant>().UniqueIndex(tenant => tenant.Slug);
    }
}
