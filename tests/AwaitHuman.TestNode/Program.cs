using AwaitHuman.Server;
using AwaitHuman.TestNode;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;
using Wolverine.Runtime.Agents;

// The real application plus a projection that stamps every event with this node's name
// (--TestNode:Name), and two endpoints the tests drive it through.
var app = AwaitHumanServer.Build(args, builder =>
{
    var name = builder.Configuration["TestNode:Name"] ?? "node";
    builder.Services.ConfigureMarten(opts => opts.Projections.Add(new NodeStampProjection(name), ProjectionLifecycle.Async));
});

// The projections and subscriptions running on this node, as shard names ("webhooks:All"), whichever
// mechanism distributes them: both start them on the store's daemon for this node.
// Under Wolverine's distribution a node the leader gave no projection has no daemon: it runs none.
app.MapGet("/test-node/shards", (IProjectionCoordinator coordinator) =>
{
    try
    {
        return coordinator.DaemonForMainDatabase().CurrentAgents()
            .Where(agent => agent.Status == AgentStatus.Running)
            .Select(agent => agent.Name.Identity).ToList();
    }
    catch (DaemonNotRunningOnThisNodeException)
    {
        return [];
    }
});

app.MapPost("/test-node/ticks", async (int first, int count, IDocumentStore store, CancellationToken cancellationToken) =>
{
    await Ticks.AppendAsync(store, first, count, cancellationToken);
    return Results.NoContent();
});

await app.RunAsync();
