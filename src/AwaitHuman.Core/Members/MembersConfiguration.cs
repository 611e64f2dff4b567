using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;

namespace AwaitHuman.Core.Members;

public static class MembersConfiguration
{
    public static void ConfigureMembers(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Membership>(SnapshotLifecycle.Inline);
        // One membership per person and tenant; looked up by person across tenants when they sign in.
        opts.Schema.For<Membership>().UniqueIndex(UniqueIndexType.Computed, "membership_person", TenancyScope.PerTenant, membership => membership.PersonId);
    }
}
