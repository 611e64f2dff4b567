using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Admin;

/// <summary>The embedded default, as `./awaithuman run` starts it: a demo tenant made once, its credentials printed on every start.</summary>
public sealed partial class DemoTenantTests : IDisposable
{
    readonly string _dataRoot = TestPostgres.NewScratchDirectory("demo");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"Demo tenant 'demo': API key (?<key>ah_live_\S+) .* token (?<token>ahp_\S+)")]
    private static partial Regex DemoLine();

    [Fact]
    public async Task The_first_start_seeds_a_demo_tenant_and_every_start_prints_the_same_working_credentials()
    {
        var first = await StartAndReadCredentialsAsync();
        var second = await StartAndReadCredentialsAsync();

        second.ShouldBe(first, "the demo tenant is made once; later starts print what the first one made");
        File.Exists(Path.Combine(_dataRoot, "demo-credentials.json")).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(Path.Combine(_dataRoot, "demo-credentials.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    async Task<(string Key, string Token)> StartAndReadCredentialsAsync()
    {
        await using var server = await ServerProcess.StartAsync(RepositoryLayout.ServerAssembly, [], new Dictionary<string, string>
        {
            [PostgresHosting.DataDirectorySetting] = _dataRoot,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, Ct);

        var line = await Eventually.GetAsync(() => DemoLine().Match(server.Output) is { Success: true } match ? match : null,
            TimeSpan.FromSeconds(60), "the demo tenant's credentials in the server's output");
        var key = line.Groups["key"].Value;
        var token = line.Groups["token"].Value;

        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using (var me = JsonDocument.Parse(await client.GetStringAsync("/v1/me", Ct)))
            me.RootElement.GetProperty("tenant").GetString().ShouldBe("demo");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var me = JsonDocument.Parse(await client.GetStringAsync("/v1/me", Ct)))
            me.RootElement.GetProperty("role").GetString().ShouldBe("operator");
        return (key, token);
    }

    public void Dispose() => Directory.Delete(_dataRoot, recursive: true);
}
