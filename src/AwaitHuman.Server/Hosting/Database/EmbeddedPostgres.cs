using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AwaitHuman.Server.Hosting.Database;

public sealed record EmbeddedPostgresOptions
{
    /// <summary>The cluster's data folder (PGDATA). Its siblings <c>&lt;name&gt;.password</c>,
    /// <c>.ready</c>, <c>.lock</c>, <c>.owner</c> and <c>.log</c> hold the rest of its state.</summary>
    public required string DataDirectory { get; init; }

    public string Database { get; init; } = "awaithuman";

    /// <summary>Folders to look for initdb, pg_ctl and postgres in; null means PATH and Debian's folders.</summary>
    public IReadOnlyList<string>? BinarySearchPath { get; init; }

    /// <summary>A cluster for one test run: durability off for speed, deleted on dispose.</summary>
    public bool Throwaway { get; init; }
}

/// <summary>What went wrong running the embedded PostgreSQL, said so a person knows what to do.</summary>
public class EmbeddedPostgresException(string message) : Exception(message);

/// <summary>
/// A private PostgreSQL cluster made from the machine's binaries: initialised once, started on a
/// free loopback port, shared with any other process using the same folder while it runs, and
/// stopped by the process that started it.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    const string SuperUser = "awaithuman";
    static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    readonly EmbeddedPostgresOptions _options;
    readonly PostgresBinaries _binaries;
    readonly PostgresProcess _process;
    readonly ILogger _logger;
    int _serverPid;
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
    string ReadyFile => DataDirectory + ".ready";
    string LockFile => DataDirectory + ".lock";
    string OwnerFile => DataDirectory + ".owner";
    string LogFile => DataDirectory + ".log";
    string PidFile => Path.Combine(DataDirectory, "postmaster.pid");

    /// <exception cref="EmbeddedPostgresException">with what to install or change.</exception>
    public static EmbeddedPostgres Start(EmbeddedPostgresOptions options, ILogger? logger = null)
    {
        var binaries = PostgresBinaries.Locate(options.BinarySearchPath);
        var cluster = new EmbeddedPostgres(options, binaries, PostgresProcess.ForCurrentUser(), logger ?? NullLogger.Instance);
        try
        {
            cluster.StartOrAttach();
            return cluster;
        }
        catch
        {
            // A server started before a later step failed must not outlive this call.
            cluster.Dispose();
            throw;
        }
    }

    void StartOrAttach()
    {
        var parent = Path.GetDirectoryName(DataDirectory)!;
        Directory.CreateDirectory(parent);
        _process.EnsureServiceUserCanReach(parent);

        // Several processes may start at once (the server and the admin command line): one at a time here.
        using (AcquireLock())
        {
            if (!File.Exists(ReadyFile)) Initialise();

            if (RunningPostmaster() is { } running)
            {
                (_serverPid, Port) = running;
                OwnsServer = !IsAlive(ReadOwner());
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
            // Ours but never marked ready: an initdb that was killed half way, nothing worth keeping.
            if (!File.Exists(PasswordFile))
                throw new EmbeddedPostgresException(
                    $"{DataDirectory} exists but is no AwaitHuman cluster; move it away or choose another AWAITHUMAN_DATA_DIR.");
            _logger.LogWarning("Removing the incomplete PostgreSQL data folder {DataDirectory}", DataDirectory);
            DeleteDirectory(DataDirectory);
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

        File.WriteAllText(ReadyFile, "");
    }

    void StartServer()
    {
        // Only reached when no live postmaster of this folder exists: the file outlived a crash.
        if (File.Exists(PidFile))
        {
            _logger.LogWarning("Removing the stale postmaster.pid left in {DataDirectory} by a server that did not stop cleanly", DataDirectory);
            File.Delete(PidFile);
        }

        if (!File.Exists(LogFile))
        {
            WritePrivateFile(LogFile, "");
            _process.GiveToServiceUser(LogFile);
        }

        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            // lz4 compresses large jsonb values (an escalation's transcript) several times faster than
            // the default pglz, which was a fifth of PostgreSQL's time per create; it needs PostgreSQL 14+.
            var settings = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c default_toast_compression=lz4";
            if (_options.Throwaway) settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";

            var result = _process.Run(_binaries.PgCtl,
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", settings], CommandTimeout);
            if (result.ExitCode == 0) break;
            // Another program may have taken the free port between our probe and the bind.
            if (attempt == 3 || !LogTail().Contains("Address already in use"))
                throw new EmbeddedPostgresException($"pg_ctl start failed: {result.Output.Trim()}\nServer log {LogFile}:\n{LogTail()}");
        }

        _serverPid = RunningPostmaster()?.Pid
            ?? throw new EmbeddedPostgresException($"PostgreSQL started but wrote no postmaster.pid in {DataDirectory}.");
        OwnsServer = true;
        WriteOwner();
        _logger.LogInformation("Started the embedded PostgreSQL on 127.0.0.1:{Port} ({DataDirectory})", Port, DataDirectory);
    }

    /// <summary>The live postmaster serving this data folder, from its postmaster.pid.</summary>
    (int Pid, int Port)? RunningPostmaster()
    {
        string[] lines;
        try
        {
            if (!File.Exists(PidFile)) return null;
            lines = File.ReadAllLines(PidFile);
        }
        catch (UnauthorizedAccessException)
        {
            throw new EmbeddedPostgresException(
                $"{DataDirectory} belongs to another user (made by a run as root?); use another AWAITHUMAN_DATA_DIR or run as that user.");
        }
        catch (IOException)
        {
            return null;
        }

        // Line 1 is the postmaster's pid and line 4 its port. A pid that is gone, or now belongs to
        // another program (pids are reused after a reboot), means the file outlived a crash.
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port))
            return null;
        return IsPostmasterOf(pid) ? (pid, port) : null;
    }

    bool IsPostmasterOf(int pid)
    {
        if (!Directory.Exists("/proc")) return IsAlive(pid);
        try
        {
            // pg_ctl starts it as `postgres -D <folder> ...`.
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(DataDirectory);
        }
        catch (IOException)
        {
            return false;
        }
    }

    static bool IsAlive(int? pid)
    {
        if (pid is not { } id) return false;
        if (id == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    int? ReadOwner() => ReadOwner(OwnerFile);

    static int? ReadOwner(string ownerFile) =>
        File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile).Trim(), out var pid) ? pid : null;

    /// <summary>Whether the process that owned the cluster in <paramref name="dataDirectory"/> is gone without stopping it.</summary>
    public static bool IsAbandoned(string dataDirectory) =>
        ReadOwner(Path.GetFullPath(dataDirectory) + ".owner") is { } owner && !IsAlive(owner);

    void WriteOwner() => File.WriteAllText(OwnerFile, Environment.ProcessId.ToString());

    string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(20));
        }
        catch (IOException)
        {
            return "";
        }
    }

    void WaitUntilAcceptingConnections()
    {
        var deadline = Stopwatch.StartNew();
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString("postgres")) { Pooling = false, Timeout = 5 };
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Open();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && deadline.Elapsed < TimeSpan.FromSeconds(60))
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
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(100);
            }
        }
    }

    static void WritePrivateFile(string path, string content)
    {
        // Created with its final mode: a password must never be readable, even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using var writer = new StreamWriter(path, options);
        writer.Write(content);
    }

    void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            throw new EmbeddedPostgresException($"{directory} belongs to another user (made by a run as root?); use another AWAITHUMAN_DATA_DIR.");
        }
    }

    /// <summary>
    /// Stops the server if this process started it and it is still that server (a crash and a
    /// restart by another process make it someone else's). A throwaway cluster is also deleted.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (ConnectionString.Length > 0)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        }

        if (!Directory.Exists(Path.GetDirectoryName(DataDirectory))) return;

        bool deleted;
        using (AcquireLock())
        {
            if (OwnsServer && RunningPostmaster()?.Pid == _serverPid && ReadOwner() == Environment.ProcessId)
            {
                var result = _process.Run(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], CommandTimeout);
                if (result.ExitCode == 0)
                {
                    File.Delete(OwnerFile);
                    _logger.LogInformation("Stopped the embedded PostgreSQL ({DataDirectory})", DataDirectory);
                }
                else
                {
                    _logger.LogWarning("pg_ctl stop failed: {Output}", result.Output.Trim());
                }
            }

            // Never delete the folder of a server that is still running, whoever runs it.
            deleted = _options.Throwaway && RunningPostmaster() is null;
            if (deleted)
            {
                foreach (var file in new[] { PasswordFile, ReadyFile, OwnerFile, LogFile }) File.Delete(file);
                if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
            }
        }

        if (deleted) File.Delete(LockFile);
    }
}
