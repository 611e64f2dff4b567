using Microsoft.Extensions.Hosting;

namespace AwaitHuman.Server.Hosting.Database;

public static class PostgresHosting
{
    /// <summary>
    /// The configured <c>ConnectionStrings:Postgres</c>, or else the embedded cluster in
    /// <c>AWAITHUMAN_DATA_DIR</c> (default <c>./.awaithuman</c>), started now because Marten
    /// and Wolverine need the connection string while the host is being built.
    /// </summary>
    public static string AddPostgres(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var dataRoot = builder.Configuration["AWAITHUMAN_DATA_DIR"] is { Length: > 0 } root
            ? root
            : Path.Combine(Directory.GetCurrentDirectory(), ".awaithuman");

        using var startupLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var cluster = EmbeddedPostgres.Start(
            new EmbeddedPostgresOptions { DataDirectory = Path.Combine(dataRoot, "pg") },
            startupLogging.CreateLogger<EmbeddedPostgres>());

        // Registered before Marten and Wolverine, so it stops after them; ProcessExit covers
        // command-line verbs that build the host without running it.
        builder.Services.AddHostedService(_ => new EmbeddedPostgresLifetime(cluster));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster.ConnectionString;
    }

    sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            cluster.Dispose();
            return Task.CompletedTask;
        }
    }
}
