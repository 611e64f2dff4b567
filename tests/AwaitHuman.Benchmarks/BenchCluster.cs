using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Testing;
using Npgsql;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// The benches' PostgreSQL: a cluster of their own beside the embedded default's, set up as
/// <c>./awaithuman run</c> sets up its own (fsync and synchronous commit on, unlike the tests'
/// throwaway cluster), started afresh on every run, so each run measures the same database and the
/// demo tenant never receives the load.
/// </summary>
public static class BenchCluster
{
    public static string DataRoot =>
        Path.Combine(PostgresHosting.DataRoot(Environment.GetEnvironmentVariable(PostgresHosting.DataDirectorySetting)), "bench");

    public static EmbeddedPostgres Start(ILogger? logger = null)
    {
        var dataRoot = DataRoot;
        if (Directory.Exists(dataRoot) && !File.Exists(Path.Combine(dataRoot, "pg", "postmaster.pid"))) Directory.Delete(dataRoot, recursive: true);
        return EmbeddedPostgres.Start(PostgresHosting.EmbeddedDefault(dataRoot), logger);
    }

    /// <summary>A new database in <paramref name="cluster"/> for a bench whose server runs in this process.</summary>
    public static async Task<string> CreateDatabaseAsync(EmbeddedPostgres cluster, string name)
    {
        await Sql.ExecuteAsync(cluster.ConnectionString, $"create database \"{name}\"");
        return new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Puts a new cluster, after a bench's warm-up, in the state a running one is in. A checkpoint
    /// lets PostgreSQL recycle the WAL segments the warm-up filled; without one the measured window
    /// stalls every few seconds while PostgreSQL zero-fills a new 16 MB segment under its WAL lock
    /// (35–65 ms at 200 opens/s, every commit waiting), which a cluster that has checkpointed does not
    /// do. Five more seconds of <paramref name="load"/> then take the burst of full-page writes that
    /// follows any checkpoint, as a production window mostly falls minutes after its last one.
    /// </summary>
    public static async Task CheckpointAsync(string connectionString, Func<TimeSpan, Task> load)
    {
        await Sql.ExecuteAsync(connectionString, "checkpoint");
        await load(TimeSpan.FromSeconds(5));
    }
}
