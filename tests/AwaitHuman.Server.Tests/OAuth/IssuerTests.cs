using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.OAuth;

/// <summary>Behind a proxy or under several host names, tokens must name one public issuer.</summary>
public sealed class IssuerTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_configured_issuer_is_the_one_discovery_names_whatever_host_was_asked()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("issuer");
        await using var app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["OAuth:Issuer"] = "https://auth.example.test/",
        });
        using var client = app.CreateHttpClient();

        using var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration", Ct));

        discovery.RootElement.GetProperty("issuer").GetString().ShouldBe("https://auth.example.test/");
    }
}
