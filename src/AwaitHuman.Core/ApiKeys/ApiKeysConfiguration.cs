using JasperFx.Events.Projections;
using Marten;

namespace AwaitHuman.Core.ApiKeys;

public static class ApiKeysConfiguration
{
    public static void ConfigureApiKeys(this StoreOptions opts)
    {
        opts.Projections.Snapshot<ApiKey>(SnapshotLifecycle.Inline);
        // Authentication finds a key by its hash before it knows the tenant.
        opts.Schema.For<ApiKey>().UniqueIndex(key => key.Hash);
        opts.Schema.For<CredentialUse>();
    }
}
