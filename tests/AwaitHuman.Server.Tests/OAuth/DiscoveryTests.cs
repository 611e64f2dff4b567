using System.Net;
using System.Text.Json;
using AwaitHuman.Core.Security;

namespace AwaitHuman.Server.Tests.OAuth;

public class DiscoveryTests(ServerTestsHost host)
{
    readonly HttpClient _client = host.App.CreateHttpClient();

    [Fact]
    public async Task The_configuration_names_the_endpoints_flows_pkce_and_our_scopes()
    {
        using var response = await _client.GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = body.RootElement;
        root.GetProperty("token_endpoint").GetString().ShouldBe(new Uri(host.App.Address, "/connect/token").ToString());
        root.GetProperty("authorization_endpoint").GetString().ShouldBe(new Uri(host.App.Address, "/connect/authorize").ToString());
        Strings(root, "grant_types_supported").ShouldBe(["authorization_code", "client_credentials", "refresh_token"], ignoreOrder: true);
        Strings(root, "code_challenge_methods_supported").ShouldBe(["S256"]);
        // OpenIddict always adds openid.
        Strings(root, "scopes_supported").ShouldBe([.. Scopes.All, "offline_access", "openid"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_key_set_serves_the_rsa_signing_key()
    {
        using var configuration = JsonDocument.Parse(await _client.GetStringAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken));
        var jwksUri = configuration.RootElement.GetProperty("jwks_uri").GetString()!;

        using var jwks = JsonDocument.Parse(await _client.GetStringAsync(jwksUri, TestContext.Current.CancellationToken));

        var key = jwks.RootElement.GetProperty("keys").EnumerateArray().ShouldHaveSingleItem();
        key.GetProperty("kty").GetString().ShouldBe("RSA");
        key.GetProperty("use").GetString().ShouldBe("sig");
        key.GetProperty("kid").GetString().ShouldNotBeNullOrWhiteSpace();
        key.GetProperty("n").GetString().ShouldNotBeNullOrWhiteSpace();
        key.GetProperty("e").GetString().ShouldNotBeNullOrWhiteSpace();
        key.TryGetProperty("d", out _).ShouldBeFalse("the private part never leaves the server");
    }

    static string[] Strings(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
