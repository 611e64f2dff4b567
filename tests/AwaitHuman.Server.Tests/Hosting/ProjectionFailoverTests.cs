using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>
/// The projections and subscriptions of a node killed outright (SIGKILL) run again on the other node,
/// under each distribution: real processes on a database of their own. Wolverine's (the default) waits
/// for the dead node's heartbeats to go stale (15 s, checked every 5 s); Marten's HotCold takes the
/// freed locks at its next try (every second). `./awaithuman bench projections` measures both this way.
/// </summary>
public sealed class ProjectionFailoverTests
{
    [Theory]
    [InlineData(ProjectionDistribution.HotCold, 15)]
    [InlineData(ProjectionDistribution.Wolverine, 45)]
    public async Task A_killed_nodes_subscription_runs_again_on_the_other_node(ProjectionDistribution distribution, int withinSeconds)
    {
        var database = await TestPostgres.CreateDatabaseAsync("projection_failover");

        var run = await ProjectionFailover.MeasureAsync(database, distribution,
            line => TestContext.Current.TestOutputHelper?.WriteLine(line), TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{run.Distribution}: {run.Killed} was killed; the other node ran {ProjectionFailover.MeasuredShard} {run.TakenOver.TotalSeconds:0.0} s later and had caught up {run.Recovery.TotalSeconds:0.0} s later.");
        run.Recovery.ShouldBeLessThan(TimeSpan.FromSeconds(withinSeconds));
    }
}
