namespace AwaitHuman.Server.Hosting;

/// <summary>
/// Which mechanism decides the node that runs each async projection and event subscription when
/// several nodes share a database. Set with <c>AwaitHuman:Projections:Distribution</c>; both stay
/// selectable so <c>./awaithuman bench projections</c> can measure one against the other.
/// </summary>
public enum ProjectionDistribution
{
    /// <summary>
    /// Marten's own daemon: every node polls for one PostgreSQL advisory lock per projection or
    /// subscription and runs those it holds. A killed node's locks go with its connections.
    /// </summary>
    HotCold,

    /// <summary>
    /// Wolverine's elected leader assigns projections and subscriptions as agents, and moves a dead
    /// node's agents once its heartbeats have gone stale.
    /// </summary>
    Wolverine,
}

public static class ProjectionDistributionSetting
{
    public const string Key = "AwaitHuman:Projections:Distribution";

    /// <summary>
    /// Wolverine's, although HotCold recovers from a killed node faster: under HotCold `bench assignment`
    /// saw the capacity feed's messages to the routing queue discarded and the feed stall (docs/decisions.md).
    /// </summary>
    public const ProjectionDistribution Default = ProjectionDistribution.Wolverine;

    public static ProjectionDistribution Read(IConfiguration configuration) =>
        configuration[Key] switch
        {
            null or "" => Default,
            var value when Enum.TryParse<ProjectionDistribution>(value, ignoreCase: true, out var distribution) && Enum.IsDefined(distribution) => distribution,
            var value => throw new InvalidOperationException(
                $"{Key} is '{value}'; it must be one of {string.Join(", ", Enum.GetNames<ProjectionDistribution>())}."),
        };
}
