using AwaitHuman.Server.Hosting.Database;
using Npgsql;

namespace AwaitHuman.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started from the machine's binaries exactly as
/// the embedded default does. Missing binaries fail the run with what to install; there is no fallback.
/// </summary>
public static class TestPostgres
{
    static readonly Lazy<EmbeddedPostgres> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static EmbeddedPostgres Instance => Cluster.Value;

    /// <summary>The run's main database, shared by the test host.</summary>
    public static string ConnectionString => Instance.ConnectionString;

    /// <summary>A new, empty database in the run's cluster, for tests that need one to themselves.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"{purpose}_{Guid.NewGuid():N}"[..Math.Min(purpose.Length + 33, 63)];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A folder for one test's own clusters, removed by the test.</summary>
    public static string NewScratchDirectory(string purpose)
    {
        var directory = Path.Combine(Path.GetTempPath(), "awaithuman-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    static EmbeddedPostgres Start()
    {
        var scratch = NewScratchDirectory("run");
        var cluster = EmbeddedPostgres.Start(new EmbeddedPostgresOptions
        {
            DataDirectory = Path.Combine(scratch, "pg"),
            Throwaway = true,
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.Dispose();
            Directory.Delete(scratch, recursive: true);
        };
        return cluster;
    }
}
