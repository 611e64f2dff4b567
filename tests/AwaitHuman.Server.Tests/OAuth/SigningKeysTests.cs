using System.Net;
using AwaitHuman.Core.Security;
using AwaitHuman.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AwaitHuman.Server.Tests.OAuth;

/// <summary>
/// The signing key lives in the database, not in the process: a restarted server (or another node)
/// signs with the same key and still accepts the tokens issued before.
/// </summary>
public sealed class SigningKeysTests : IAsyncLifetime
{
    string _connectionString = null!;
    AwaitHumanApp? _app;

    public async ValueTask InitializeAsync()
    {
        // A database of its own, so the first start makes the keys and the restart finds them.
        _connectionString = await TestPostgres.CreateDatabaseAsync("signing_keys");
        _app = await AwaitHumanApp.StartAsync(_connectionString);
    }

    [Fact]
    public async Task The_key_and_the_tokens_it_signed_survive_a_restart()
    {
        var first = _app!;
        var tenant = await first.NewTenantAsync();
        var client = await first.NewConfidentialClientAsync(tenant.ApiKey, Scopes.EscalationsRead);
        var accessToken = await first.ClientCredentialsTokenAsync(client);
        var kidBefore = await KeyIdAsync(first);
        new JsonWebToken(accessToken).Kid.ShouldBe(kidBefore);

        // Same address after the restart: the issuer is the server's address, as behind a stable host name.
        _app = null;
        await first.DisposeAsync();
        var restarted = _app = await AwaitHumanApp.StartAsync(_connectionString, settings: new Dictionary<string, string> { ["urls"] = first.Address.ToString() });

        (await KeyIdAsync(restarted)).ShouldBe(kidBefore);
        using var agent = restarted.CreateHttpClient(accessToken);
        using var response = await agent.GetAsync("/v1/me", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        new JsonWebToken(await restarted.ClientCredentialsTokenAsync(client)).Kid.ShouldBe(kidBefore);
    }

    static async Task<string> KeyIdAsync(AwaitHumanApp app) => (await app.KeySetAsync()).Keys.ShouldHaveSingleItem().Kid;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
