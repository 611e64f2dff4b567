using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Testing;
using Microsoft.AspNetCore.Builder;

namespace AwaitHuman.Server.Tests.Hosting.Database;

public sealed class PostgresHostingTests : IDisposable
{
    readonly string _dataRoot = TestPostgres.NewScratchDirectory("hosting");

    [Fact]
    public void A_configured_connection_string_bypasses_the_embedded_cluster()
    {
        var builder = WebApplication.CreateBuilder(
            ["--ConnectionStrings:Postgres", "Host=db.example;Database=awaithuman", "--AWAITHUMAN_DATA_DIR", _dataRoot]);

        builder.AddPostgres().ShouldBe("Host=db.example;Database=awaithuman");

        Directory.EnumerateFileSystemEntries(_dataRoot).ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_one_the_server_runs_its_own_cluster_and_stops_it_on_shutdown()
    {
        var builder = WebApplication.CreateBuilder(["--AWAITHUMAN_DATA_DIR", _dataRoot, "--urls", "http://127.0.0.1:0"]);
        var connectionString = builder.AddPostgres();
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);

        File.Exists(Path.Combine(_dataRoot, "pg", "PG_VERSION")).ShouldBeTrue();
        (await Sql.CanConnectAsync(connectionString)).ShouldBeTrue();

        await app.StopAsync(TestContext.Current.CancellationToken);

        (await Sql.CanConnectAsync(connectionString)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_admin_command_line_in_another_process_uses_the_running_cluster_and_leaves_it_running()
    {
        using var running = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataDirectory = Path.Combine(_dataRoot, "pg") });

        var admin = await ServerProcess.RunCommandAsync(RepositoryLayout.ServerAssembly, ["db-apply"], new Dictionary<string, string>
        {
            [PostgresHosting.DataDirectorySetting] = _dataRoot,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, _dataRoot, TestContext.Current.CancellationToken);

        admin.ExitCode.ShouldBe(0, admin.Output);
        admin.Output.ShouldContain($"already running on port {running.Port}");
        (await Sql.CanConnectAsync(running.ConnectionString)).ShouldBeTrue("the command line does not stop a server it did not start");
        (await Sql.ScalarAsync<long>(running.ConnectionString, "select count(*) from pg_namespace where nspname in ('awaithuman', 'wolverine')"))
            .ShouldBe(2L, "db-apply created both schemas in the running cluster");
    }

    [Fact]
    public async Task Missing_binaries_stop_the_server_with_one_clear_message()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dataRoot, "no-binaries")).FullName;

        var server = await ServerProcess.RunCommandAsync(RepositoryLayout.ServerAssembly, [], new Dictionary<string, string>
        {
            [PostgresHosting.DataDirectorySetting] = _dataRoot,
            [PostgresHosting.BinariesSetting] = empty,
        }, _dataRoot, TestContext.Current.CancellationToken);

        server.ExitCode.ShouldBe(1);
        server.Output.Trim().ShouldStartWith("awaithuman: PostgreSQL server programs (initdb, pg_ctl, postgres) were not found");
        server.Output.ShouldContain("apt-get install postgresql");
        server.Output.ShouldNotContain("Unhandled exception");
        server.Output.ShouldNotContain("   at ");
    }

    public void Dispose() => Directory.Delete(_dataRoot, recursive: true);
}
