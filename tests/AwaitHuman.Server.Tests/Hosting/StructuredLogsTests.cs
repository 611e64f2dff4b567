using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Hosting;

public class StructuredLogsTests
{
    [Fact]
    public async Task Outside_development_the_server_logs_one_JSON_object_per_line_with_its_fields()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("logs");

        await using var server = await ServerProcess.StartAsync(RepositoryLayout.ServerAssembly,
            ["--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:AwaitHuman", "Information"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ConnectionStrings__Postgres"] = connectionString },
            TestContext.Current.CancellationToken);

        var bannerLine = await Eventually.GetAsync(
            () => server.Output.Split('\n').FirstOrDefault(line => line.Contains("\"Category\":\"AwaitHuman.Server.Hosting.StartupBanner\"")),
            TimeSpan.FromSeconds(10), "the start-up banner in the log");

        var entry = JsonDocument.Parse(bannerLine).RootElement;
        entry.GetProperty("LogLevel").GetString().ShouldBe("Information");
        entry.GetProperty("Message").GetString()!.ShouldContain($"{server.BaseAddress.ToString().TrimEnd('/')}/docs");
        entry.GetProperty("State").GetProperty("Address").GetString().ShouldBe(server.BaseAddress.ToString().TrimEnd('/'));
    }
}
