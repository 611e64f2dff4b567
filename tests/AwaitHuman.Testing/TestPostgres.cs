using AwaitHuman.Server.Hosting.Database;
using Npgsql;

namespace AwaitHuman.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started from the machine's binaries exactly as
/// the embedded default does. Missing binaries fail the run with what to install; there is no fallback.
/// </summary>
public static class TestPostgres
{
    const string ScratchPrefix = "awaithuman-tests-";

    static readonly Lazy<EmbeddedPostgres> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static EmbeddedPostgres Instance => Cluster.Value;

    /// <summary>The run's main database, shared by the test host.</summary>
    public static string ConnectionString => Instance.ConnectionString;

    /// <summary>A new, empty database in the run's cluster, for tests that need one to themselves.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"{purpose}_{Guid.NewGuid():N}"[..Math.Min(purpose.Length + 33, 63)];
        await Sql.ExecuteAsync(ConnectionString, $"create database \"{name}\"");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// A new folder of this user's for one test's own clusters, removed by the test. Random and made
    /// here, so nobody can have prepared it; others may pass through (PostgreSQL's user must) but not list it.
    /// </summary>
    public static string NewScratchDirectory(string purpose)
    {
        var directory = Directory.CreateTempSubdirectory($"{ScratchPrefix}{purpose}-").FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return directory;
    }

    static EmbeddedPostgres Start()
    {
        StopLeftoversOfKilledRuns();
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

    /// <summary>
    /// A test process killed outright (hang timeout, OOM, a second Ctrl+C) leaves its clusters
    /// running. Adopting one whose owner is dead and disposing it stops and deletes it.
    /// </summary>
    static void StopLeftoversOfKilledRuns()
    {
        foreach (var scratch in Directory.EnumerateDirectories(Path.GetTempPath(), ScratchPrefix + "*"))
        {
            var clusters = Directory.EnumerateFiles(scratch, "*.owner", SearchOption.AllDirectories)
                .Select(owner => owner[..^".owner".Length])
                .ToList();
            if (clusters.Count == 0 || !clusters.All(EmbeddedPostgres.IsAbandoned)) continue;
            try
            {
                foreach (var cluster in clusters)
                    EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataDirectory = cluster, Throwaway = true }).Dispose();
                Directory.Delete(scratch, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or EmbeddedPostgresException)
            {
                // Another user's, or half gone already: not ours to clean.
            }
        }
    }
}
