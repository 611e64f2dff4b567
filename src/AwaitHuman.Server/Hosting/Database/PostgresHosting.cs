using Microsoft.Extensions.Hosting;

namespace AwaitHuman.Server.Hosting.Database;

public static class PostgresHosting
{
    /// <summary>The setting (configuration key or environment variable) naming the embedded cluster's folder.</summary>
    public const string DataDirectorySetting = "AWAITHUMAN_DATA_DIR";

    /// <summary>The folder the embedded default keeps its cluster in: the setting, or ./.awaithuman.</summary>
    public static string DataRoot(string? setting) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(setting) ? Path.Combine(Directory.GetCurrentDirectory(), ".awaithuman") : setting);

    /// <summary>The embedded default's cluster in <paramref name="dataRoot"/>.</summary>
    public static EmbeddedPostgresOptions EmbeddedDefault(string dataRoot) => new() { DataDirectory = Path.Combine(dataRoot, "pg") };

    /// <summary>
    /// The configured <c>ConnectionStrings:Postgres</c>, or else the embedded cluster in
    /// <c>AWAITHUMAN_DATA_DIR</c> (default <c>./.awaithuman</c>), started now because Marten
    /// and Wolverine need the connection string while the host is being built.
    /// </summary>
    public static string AddPostgres(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        using var startupLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var cluster = EmbeddedPostgres.Start(
            EmbeddedDefault(DataRoot(builder.Configuration[DataDirectorySetting])),
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
