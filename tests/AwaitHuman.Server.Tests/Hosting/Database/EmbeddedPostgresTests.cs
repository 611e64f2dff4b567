using System.Diagnostics;
using System.Runtime.Versioning;
using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Testing;
using Npgsql;

namespace AwaitHuman.Server.Tests.Hosting.Database;

/// <summary>Each test makes clusters of its own in a scratch folder, apart from the run's shared cluster.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    readonly string _scratch = TestPostgres.NewScratchDirectory("embedded");
    readonly List<EmbeddedPostgres> _clusters = [];

    EmbeddedPostgresOptions Options => new() { DataDirectory = Path.Combine(_scratch, "pg"), Database = "app" };

    EmbeddedPostgres Start(EmbeddedPostgresOptions? options = null)
    {
        var cluster = EmbeddedPostgres.Start(options ?? Options);
        _clusters.Add(cluster);
        return cluster;
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Initialises_a_cluster_on_loopback_with_the_database_and_a_private_password()
    {
        var cluster = Start();

        cluster.OwnsServer.ShouldBeTrue();
        var settings = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        settings.Host.ShouldBe("127.0.0.1");
        settings.Database.ShouldBe("app");
        settings.Password.ShouldNotBeNullOrWhiteSpace();
        (await Sql.ScalarAsync<string>(cluster.ConnectionString, "select current_database()")).ShouldBe("app");
        (await Sql.ScalarAsync<string>(cluster.ConnectionString, "show listen_addresses")).ShouldBe("127.0.0.1");

        File.GetUnixFileMode(cluster.DataDirectory + ".password").ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Should.ThrowAsync<PostgresException>(() => Sql.ScalarAsync<int>(
            new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Password = "wrong" }.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task A_second_user_of_the_folder_attaches_to_the_running_server_and_leaves_it_running()
    {
        var first = Start();
        var second = Start();

        second.Port.ShouldBe(first.Port);
        second.OwnsServer.ShouldBeFalse();

        second.Dispose();
        (await Sql.ScalarAsync<int>(first.ConnectionString, "select 1")).ShouldBe(1);

        first.Dispose();
        await Should.ThrowAsync<NpgsqlException>(() => Sql.ScalarAsync<int>(first.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task Data_survives_a_stop_and_the_next_start_reuses_the_cluster()
    {
        var first = Start();
        await Sql.ExecuteAsync(first.ConnectionString, "create table kept (note text); insert into kept values ('still here')");
        first.Dispose();

        var second = Start();

        second.OwnsServer.ShouldBeTrue();
        (await Sql.ScalarAsync<string>(second.ConnectionString, "select note from kept")).ShouldBe("still here");
    }

    [Fact]
    public async Task Recovers_from_a_crash_that_left_a_stale_pid_file()
    {
        var crashed = Start();
        var pidFile = Path.Combine(crashed.DataDirectory, "postmaster.pid");
        var postmasterPid = int.Parse(File.ReadLines(pidFile).First());
        var backends = ChildrenOf(postmasterPid);
        Process.GetProcessById(postmasterPid).Kill();
        // A new postmaster refuses to start while the old one's backends still hold its shared memory.
        await Eventually.HappensAsync(() => Task.FromResult(backends.Append(postmasterPid).All(HasExited)),
            TimeSpan.FromSeconds(30), "the killed postmaster and its backends to exit");
        File.Exists(pidFile).ShouldBeTrue("a killed postmaster leaves its pid file behind");

        var restarted = Start();

        restarted.OwnsServer.ShouldBeTrue();
        (await Sql.ScalarAsync<int>(restarted.ConnectionString, "select 1")).ShouldBe(1);

        crashed.Dispose();
        (await Sql.ScalarAsync<int>(restarted.ConnectionString, "select 1")).ShouldBe(1, "the crashed instance does not stop the server that replaced it");
    }

    [Fact]
    public async Task A_pid_file_naming_a_live_process_that_is_not_postgres_counts_as_stale()
    {
        var first = Start();
        first.Dispose();
        var pidFile = Path.Combine(first.DataDirectory, "postmaster.pid");
        // This test process is alive and is not PostgreSQL: as after a crash and a pid reused.
        await File.WriteAllLinesAsync(pidFile, [Environment.ProcessId.ToString(), first.DataDirectory, "0", first.Port.ToString()], TestContext.Current.CancellationToken);

        var restarted = Start();

        restarted.OwnsServer.ShouldBeTrue();
        (await Sql.ScalarAsync<int>(restarted.ConnectionString, "select 1")).ShouldBe(1);
    }

    [Fact]
    public void Missing_binaries_fail_with_what_to_install()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_scratch, "no-binaries")).FullName;

        var error = Should.Throw<PostgresBinariesNotFoundException>(() => Start(Options with { BinarySearchPath = [empty] }));

        error.Message.ShouldContain("apt-get install postgresql");
        error.Message.ShouldContain("ConnectionStrings__Postgres");
        error.Message.ShouldContain(empty);
        Directory.Exists(Options.DataDirectory).ShouldBeFalse("nothing is created before the binaries are found");
    }

    [Fact]
    public void Binaries_are_found_in_Debian_folders_when_not_on_PATH()
    {
        var searchPath = PostgresBinaries.DefaultSearchPath(pathVariable: "");

        PostgresBinaries.Locate(searchPath).Directory.ShouldStartWith("/usr/lib/postgresql/");
    }

    [Fact]
    public async Task A_folder_that_is_not_a_cluster_of_ours_is_left_alone()
    {
        Directory.CreateDirectory(Options.DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(Options.DataDirectory, "keep.txt"), "someone else's", TestContext.Current.CancellationToken);

        var error = Should.Throw<EmbeddedPostgresException>(() => Start());

        error.Message.ShouldContain("no AwaitHuman cluster");
        File.Exists(Path.Combine(Options.DataDirectory, "keep.txt")).ShouldBeTrue();
    }

    [Fact]
    public void A_throwaway_cluster_leaves_nothing_behind()
    {
        var cluster = Start(Options with { Throwaway = true });
        var dataDirectory = cluster.DataDirectory;

        cluster.Dispose();

        Directory.Exists(dataDirectory).ShouldBeFalse();
        File.Exists(dataDirectory + ".password").ShouldBeFalse();
    }

    /// <summary>Gone, or a zombie nobody reaped (a container's pid 1 may not).</summary>
    static bool HasExited(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        return stat.Length == 0 || stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
    }

    static List<int> ChildrenOf(int parent) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(name => (Pid: int.Parse(name!), Stat: ReadOrEmpty($"/proc/{name}/stat")))
            // Field 4 of /proc/<pid>/stat is the parent pid; the name in field 2 may hold spaces, so count from its ')'.
            .Where(p => p.Stat.Length > 0 && p.Stat[(p.Stat.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString())
            .Select(p => p.Pid)
            .ToList();

    static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        foreach (var cluster in _clusters) cluster.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }
}
