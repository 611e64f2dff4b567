using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AwaitHuman.Server.Hosting.Database;

public sealed record EmbeddedPostgresOptions
{
    /// <summary>The cluster's data folder (PGDATA). Its siblings <c>&lt;name&gt;.password</c>,
    /// <c>.lock</c>, <c>.owner</c> and <c>.log</c> hold the rest of its state.</summary>
    public required string DataDirectory { get; init; }

    public string Database { get; init; } = "awaithuman";

    /// <summary>Folders to look for initdb, pg_ctl and postgres in; null means PATH and Debian's folders.</summary>
    public IReadOnlyList<string>? BinarySearchPath { get; init; }

    /// <summary>A cluster for one test run: durability off for speed, deleted on dispose.</summary>
    public bool Throwaway { get; init; }
}

/// <summary>
/// A private PostgreSQL cluster made from the machine's binaries: initialised once, started on a
/// free loopback port, shared with any other process using the same folder while it runs, and
/// stopped by the process that started it.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    const string SuperUser = "awaithuman";
    static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    readonly EmbeddedPostgresOptions _options;
    readonly PostgresBinaries _binaries;
    readonly PostgresProcess _process;
    readonly ILogger _logger;
    int _disposed;

    EmbeddedPostgres(EmbeddedPostgresOptions options, PostgresBinaries binaries, PostgresProcess process, ILogger logger)
    {
        _options = options;
        _binaries = binaries;
        _process = process;
        _logger = logger;
        DataDirectory = Path.GetFullPath(options.DataDirectory);
    }

    public string DataDirectory { get; }
    public int Port { get; private set; }
    public string ConnectionString { get; private set; } = "";

    /// <summary>True when this process started the server (or adopted it from a crashed owner) and so stops it.</summary>
    public bool OwnsServer { get; private set; }

    string PasswordFile => DataDirectory + ".password";
    string LockFile => DataDirectory + ".lock";
    string OwnerFile => DataDirectory + ".owner";
    string LogFile => DataDirectory + ".log";
    string PidFile => Path.Combine(DataDirectory, "postmaster.pid");

    public static EmbeddedPostgres Start(EmbeddedPostgresOptions options, ILogger? logger = null)
    {
        var binaries = PostgresBinaries.Locate(options.BinarySearchPath);
        var cluster = new EmbeddedPostgres(options, binaries, PostgresProcess.ForCurrentUser(), logger ?? NullLogger.Instance);
        cluster.StartOrAttach();
        return cluster;
    }

    void StartOrAttach()
    {
        var parent = Path.GetDirectoryName(DataDirectory)!;
        Directory.CreateDirectory(parent);
        _process.EnsureServiceUserCanReach(parent);

        // Several processes may start at once (the server and the admin command line): one at a time here.
        using (AcquireLock())
        {
            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) Initialise();

            var running = RunningServerPort();
            if (running is { } port)
            {
                Port = port;
                OwnsServer = !OwnerIsAlive();
                if (OwnsServer) WriteOwner();
                _logger.LogInformation("Using the embedded PostgreSQL already running on port {Port} ({DataDirectory})", Port, DataDirectory);
            }
            else
            {
                StartServer();
            }

            ConnectionString = BuildConnectionString(_options.Database);
            WaitUntilAcceptingConnections();
            EnsureDatabase();
        }
    }

    void Initialise()
    {
        if (Directory.Exists(DataDirectory))
        {
            // No PG_VERSION means an earlier initdb died half way: nothing in it is worth keeping.
            _logger.LogWarning("Removing the incomplete PostgreSQL data folder {DataDirectory}", DataDirectory);
            Directory.Delete(DataDirectory, recursive: true);
        }

        _logger.LogInformation("Creating the embedded PostgreSQL cluster in {DataDirectory}", DataDirectory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        WritePrivateFile(PasswordFile, password);

        Directory.CreateDirectory(DataDirectory);
        _process.GiveToServiceUser(DataDirectory);

        var passwordForInitDb = DataDirectory + ".initdb-password";
        WritePrivateFile(passwordForInitDb, password);
        _process.GiveToServiceUser(passwordForInitDb);
        try
        {
            List<string> arguments =
            [
                "-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordForInitDb,
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
            ];
            if (_options.Throwaway) arguments.Add("--no-sync");
            _process.Run(_binaries.InitDb, arguments, CommandTimeout).ThrowIfFailed("initdb");
        }
        finally
        {
            File.Delete(passwordForInitDb);
        }
    }

    void StartServer()
    {
        if (File.Exists(PidFile))
        {
            _logger.LogWarning("Removing the stale postmaster.pid left in {DataDirectory} by a server that did not stop cleanly", DataDirectory);
            File.Delete(PidFile);
        }

        if (!File.Exists(LogFile))
        {
            File.WriteAllText(LogFile, "");
            _process.GiveToServiceUser(LogFile);
        }

        // Another program may take the free port between our probe and the server's bind: try again.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            var settings = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300";
            if (_options.Throwaway) settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";

            var result = _process.Run(_binaries.PgCtl,
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", settings], CommandTimeout);
            if (result.ExitCode == 0) break;
            if (attempt == 3) result.ThrowIfFailed($"pg_ctl start (server log: {LogFile})");
        }

        OwnsServer = true;
        WriteOwner();
        _logger.LogInformation("Started the embedded PostgreSQL on 127.0.0.1:{Port} ({DataDirectory})", Port, DataDirectory);
    }

    /// <summary>The port of a live server on this data folder, read from its postmaster.pid.</summary>
    int? RunningServerPort()
    {
        if (!File.Exists(PidFile)) return null;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(PidFile);
        }
        catch (IOException)
        {
            return null;
        }

        // Line 1 is the postmaster's pid and line 4 its port; a pid that is gone, or now belongs
        // to another program, means the file outlived a crash.
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port))
            return null;
        return IsPostgresProcess(pid) ? port : null;
    }

    static bool IsPostgresProcess(int pid)
    {
        var comm = $"/proc/{pid}/comm";
        if (Directory.Exists("/proc")) return File.Exists(comm) && File.ReadAllText(comm).Trim() == "postgres";
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    bool OwnerIsAlive()
    {
        if (!File.Exists(OwnerFile) || !int.TryParse(File.ReadAllText(OwnerFile).Trim(), out var pid)) return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    void WriteOwner() => File.WriteAllText(OwnerFile, Environment.ProcessId.ToString());

    void WaitUntilAcceptingConnections()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString("postgres")) { Pooling = false, Timeout = 5 };
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Open();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    void EnsureDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString("postgres")) { Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();

        using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = _options.Database });
        if (exists.ExecuteScalar() is not null) return;

        using var create = new NpgsqlCommand($"create database \"{_options.Database.Replace("\"", "\"\"")}\"", connection);
        create.ExecuteNonQuery();
    }

    string BuildConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
    }.ConnectionString;

    FileStream AcquireLock()
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    static void WritePrivateFile(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Stops the server if this process owns it; a throwaway cluster is also deleted.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();

        if (OwnsServer)
        {
            using (AcquireLock())
            {
                var result = _process.Run(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], CommandTimeout);
                if (result.ExitCode != 0)
                    _logger.LogWarning("pg_ctl stop failed: {Output}", result.Output.Trim());
                else
                    _logger.LogInformation("Stopped the embedded PostgreSQL ({DataDirectory})", DataDirectory);
                File.Delete(OwnerFile);
            }
        }

        if (_options.Throwaway)
        {
            foreach (var file in new[] { PasswordFile, LockFile, OwnerFile, LogFile }) File.Delete(file);
            if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
