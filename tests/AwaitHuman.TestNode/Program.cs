using AwaitHuman.Server;
using AwaitHuman.TestNode;
using JasperFx.Events.Projections;
using Marten;
using Wolverine.Runtime;

// The real application plus a projection that stamps every event with this node's name
// (--TestNode:Name), and two endpoints the tests drive it through.
var app = AwaitHumanServer.Build(args, builder =>
{
    var name = builder.Configuration["TestNode:Name"] ?? "node";
    builder.Services.ConfigureMarten(opts => opts.Projections.Add(new NodeStampProjection(name), ProjectionLifecycle.Async));
});

app.MapGet("/test-node/agents", (IWolverineRuntime runtime) =>
    runtime.Agents.AllRunningAgentUris().Select(uri => uri.ToString()));

app.MapPost("/test-node/ticks", async (int first, int count, IDocumentStore store, CancellationToken cancellationToken) =>
{
    await Ticks.AppendAsync(store, first, count, cancellationToken);
    return Results.NoContent();
});

await app.RunAsync();
