using System.Net;
using System.Text.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AwaitHuman.Server.Tests.OAuth;

/// <summary>An agent of one tenant: a confidential client exchanging its id and secret for an access token.</summary>
public class ClientCredentialsTests(ServerTestsHost host) : IAsyncLifetime
{
    AwaitHumanApp App => host.App;
    TestTenantAccount _tenant = null!;
    TestOAuthClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = await App.NewTenantAsync();
        _client = await App.NewConfidentialClientAsync(_tenant.ApiKey, Scopes.EscalationsRead, Scopes.EscalationsWrite);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task The_access_token_is_a_jwt_signed_rs256_by_the_published_key_that_expires_in_an_hour()
    {
        var issued = DateTimeOffset.UtcNow;

        var accessToken = await App.ClientCredentialsTokenAsync(_client);

        var token = new JsonWebToken(accessToken);
        token.Alg.ShouldBe("RS256");
        token.ValidTo.ShouldBe(issued.AddHours(1).UtcDateTime, TimeSpan.FromMinutes(1));
        var keys = await App.KeySetAsync();
        keys.Keys.ShouldContain(key => key.Kid == token.Kid);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidIssuer = App.Address.ToString(),
            ValidateAudience = false,
        });
        validated.IsValid.ShouldBeTrue(validated.Exception?.Message);
    }

    [Fact]
    public async Task The_token_acts_as_the_client_in_its_tenant_with_exactly_its_scopes()
    {
        var me = await App.MeAsync(await App.ClientCredentialsTokenAsync(_client));

        me.GetProperty("tenant").GetString().ShouldBe(_tenant.Slug);
        me.GetProperty("credential").GetProperty("type").GetString().ShouldBe(CredentialTypes.OAuthClient);
        me.GetProperty("credential").GetProperty("id").GetString().ShouldBe(_client.ClientId);
        me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([Scopes.EscalationsRead, Scopes.EscalationsWrite], ignoreOrder: true);
        me.GetProperty("role").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_token_for_fewer_scopes_carries_only_those()
    {
        var me = await App.MeAsync(await App.ClientCredentialsTokenAsync(_client, Scopes.EscalationsRead));

        me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([Scopes.EscalationsRead]);
    }

    [Fact]
    public async Task A_scope_the_client_was_not_given_is_invalid_scope()
    {
        var token = await App.RequestTokenAsync(
            ("grant_type", "client_credentials"), ("client_id", _client.ClientId), ("client_secret", _client.ClientSecret!), ("scope", Scopes.MembersManage));

        token.Status.ShouldBe(HttpStatusCode.BadRequest);
        token.Error.ShouldBe("invalid_scope");
        token.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client()
    {
        var token = await App.RequestTokenAsync(
            ("grant_type", "client_credentials"), ("client_id", _client.ClientId), ("client_secret", _client.ClientSecret + "x"));

        token.Status.ShouldBe(HttpStatusCode.Unauthorized);
        token.Error.ShouldBe("invalid_client");
        token.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task A_public_client_cannot_use_client_credentials()
    {
        var app = await App.NewPublicClientAsync(_tenant.ApiKey, Scopes.EscalationsRead);

        var token = await App.RequestTokenAsync(("grant_type", "client_credentials"), ("client_id", app.ClientId));

        token.Status.ShouldBe(HttpStatusCode.BadRequest);
        token.Error.ShouldBe("invalid_request", token.ErrorDescription);
        token.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task Removing_the_client_revokes_its_access_token_at_once()
    {
        var client = await App.NewConfidentialClientAsync(_tenant.ApiKey, Scopes.EscalationsRead);
        using var agent = App.CreateHttpClient(await App.ClientCredentialsTokenAsync(client));
        (await agent.GetAsync("/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var owner = App.CreateHttpClient(_tenant.ApiKey);
        (await owner.DeleteAsync($"/v1/oauth-clients/{client.Id}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await agent.GetAsync("/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.RequestTokenAsync(("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", client.ClientSecret!)))
            .Error.ShouldBe("invalid_client");
    }
}
