using JasperFx.Events.Projections;
using Marten;

namespace AwaitHuman.Core.Teams;

public static class TeamsConfiguration
{
    public static void ConfigureTeams(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Team>(SnapshotLifecycle.Inline);
        opts.Schema.For<OperatorPresence>();
    }
}
