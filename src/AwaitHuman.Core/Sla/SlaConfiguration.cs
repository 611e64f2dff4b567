using JasperFx.Events.Projections;
using Marten;

namespace AwaitHuman.Core.Sla;

public static class SlaConfiguration
{
    public static void ConfigureSla(this StoreOptions opts) =>
        opts.Projections.Snapshot<SlaPolicy>(SnapshotLifecycle.Inline);
}
