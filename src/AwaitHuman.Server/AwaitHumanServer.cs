using AwaitHuman.Server.Hosting;
using AwaitHuman.Server.Hosting.Database;
using Wolverine.Http;

namespace AwaitHuman.Server;

/// <summary>
/// Everything the server is, in order. Program runs it; tests and benchmarks start the very same
/// application in-process on real Kestrel.
/// </summary>
public static class AwaitHumanServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var postgres = builder.AddPostgres();
        builder.AddServiceDefaults(postgres);
        builder.AddCritterStack(postgres);
        builder.Services.AddHostedService<StartupBanner>();

        var app = builder.Build();

        app.MapServiceDefaults();
        app.MapWolverineEndpoints();
        return app;
    }
}
