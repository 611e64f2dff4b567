using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>
/// The projections and subscriptions of a node killed outright (SIGKILL) run again on the other node
/// soon, with the distribution the server uses by default: real processes on a database of their own.
/// `./awaithuman bench projections` measures both distributions this way.
/// </summary>
public sealed class ProjectionFailoverTests
{
    static readonly TimeSpan Target = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_killed_nodes_subscription_runs_again_on_the_other_node_within_15_seconds()
    {
        var database = await TestPostgres.CreateDatabaseAsync("projection_failover");

        var run = await ProjectionFailover.MeasureAsync(database, ProjectionDistributionSetting.Default,
            line => TestContext.Current.TestOutputHelper?.WriteLine(line), TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{run.Distribution}: {run.Killed} was killed; the other node ran {ProjectionFailover.MeasuredShard} {run.TakenOver.TotalSeconds:0.0} s later and had caught up {run.Recovery.TotalSeconds:0.0} s later.");
        run.Recovery.ShouldBeLessThan(Target);
    }
}
