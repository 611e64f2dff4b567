using JasperFx.Events.Projections;
using Marten;

namespace AwaitHuman.Core.SingleSignOn;

public static class SsoConfiguration
{
    public static void ConfigureSingleSignOn(this StoreOptions opts) =>
        opts.Projections.Snapshot<SsoConnection>(SnapshotLifecycle.Inline);
}
