namespace AwaitHuman.Server.Hosting.Database;

public static class PostgresHosting
{
    /// <summary>The setting (configuration key or environment variable) naming the embedded cluster's folder.</summary>
    public const string DataDirectorySetting = "AWAITHUMAN_DATA_DIR";

    /// <summary>The setting naming the folder of initdb, pg_ctl and postgres, when PATH and Debian's folders won't do.</summary>
    public const string BinariesSetting = "AWAITHUMAN_PG_BIN";

    /// <summary>The folder the embedded default keeps its cluster in: the setting, or .awaithuman in the working directory.</summary>
    public static string DataRoot(string? setting) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(setting) ? Path.Combine(Directory.GetCurrentDirectory(), ".awaithuman") : setting);

    /// <summary>The embedded default's cluster in <paramref name="dataRoot"/>.</summary>
    public static EmbeddedPostgresOptions EmbeddedDefault(string dataRoot, string? binaries = null) => new()
    {
        DataDirectory = Path.Combine(dataRoot, "pg"),
        BinarySearchPath = string.IsNullOrWhiteSpace(binaries) ? null : [binaries],
    };

    /// <summary>
    /// The configured <c>ConnectionStrings:Postgres</c>, or else the embedded cluster, started now
    /// because Marten and Wolverine need the connection string while the host is being built.
    /// </summary>
    /// <exception cref="EmbeddedPostgresException">with what to install or change.</exception>
    public static string AddPostgres(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        // The host's logging does not exist yet; this factory logs the same way and lives as long as the cluster.
        var logging = LoggerFactory.Create(logging =>
        {
            logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
            ServiceDefaults.AddConsole(logging, builder.Environment);
        });
        EmbeddedPostgres cluster;
        try
        {
            cluster = EmbeddedPostgres.Start(
                EmbeddedDefault(DataRoot(builder.Configuration[DataDirectorySetting]), builder.Configuration[BinariesSetting]),
                logging.CreateLogger<EmbeddedPostgres>());
        }
        catch
        {
            logging.Dispose();
            throw;
        }

        var lifetime = new EmbeddedPostgresLifetime(cluster, logging);
        // Registered before Marten and Wolverine, so it stops after them; ProcessExit covers
        // command-line verbs that build the host without running it.
        builder.Services.AddHostedService(_ => lifetime);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => lifetime.Dispose();
        return cluster.ConnectionString;
    }

    sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster, ILoggerFactory logging) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            cluster.Dispose();
            logging.Dispose();
        }
    }
}
