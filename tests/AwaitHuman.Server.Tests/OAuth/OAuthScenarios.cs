using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AwaitHuman.Server.Tests.OAuth;

/// <summary>A registered client as its developer holds it; public clients have no secret.</summary>
public sealed record TestOAuthClient(Guid Id, string ClientId, string? ClientSecret);

/// <summary>What a token request answered: the tokens, or the OAuth error.</summary>
public sealed record TokenResponse(HttpStatusCode Status, string? AccessToken, string? RefreshToken, string? Error, string? ErrorDescription);

/// <summary>A PKCE pair (RFC 7636, S256).</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

/// <summary>OAuth clients registered through the API and the OAuth flows driven over HTTP, as an app would.</summary>
public static class OAuthScenarios
{
    /// <summary>Loopback, so nothing has to listen: the tests read the code from the redirect itself.</summary>
    public const string RedirectUri = "http://127.0.0.1:9/callback";

    public static async Task<TestOAuthClient> NewConfidentialClientAsync(this AwaitHumanApp app, string apiKey, params string[] scopes) =>
        await RegisterAsync(app, apiKey, new { name = "Agent", type = "confidential", scopes });

    public static async Task<TestOAuthClient> NewPublicClientAsync(this AwaitHumanApp app, string apiKey, params string[] scopes) =>
        await RegisterAsync(app, apiKey, new { name = "App", type = "public", scopes, redirect_uris = new[] { RedirectUri } });

    static async Task<TestOAuthClient> RegisterAsync(AwaitHumanApp app, string apiKey, object request)
    {
        using var client = app.CreateHttpClient(apiKey);
        using var response = await client.PostAsJsonAsync("/v1/oauth-clients", request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Could not register an OAuth client: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new TestOAuthClient(root.GetProperty("id").GetGuid(), root.GetProperty("client_id").GetString()!, root.GetProperty("client_secret").GetString());
    }

    public static async Task<TokenResponse> RequestTokenAsync(this AwaitHumanApp app, params (string Name, string Value)[] form)
    {
        using var client = app.CreateHttpClient();
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form.Select(field => KeyValuePair.Create(field.Name, field.Value))));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return new TokenResponse(response.StatusCode, Read(root, "access_token"), Read(root, "refresh_token"), Read(root, "error"), Read(root, "error_description"));
    }

    public static async Task<string> ClientCredentialsTokenAsync(this AwaitHumanApp app, TestOAuthClient client, string? scope = null)
    {
        var token = await app.RequestTokenAsync(
            [("grant_type", "client_credentials"), ("client_id", client.ClientId), ("client_secret", client.ClientSecret!), .. scope is null ? [] : new[] { ("scope", scope) }]);
        return token.AccessToken ?? throw new InvalidOperationException($"No access token: {token.Status} {token.Error} {token.ErrorDescription}");
    }

    /// <summary>A browser-like client: keeps cookies and shows redirects instead of following them.</summary>
    public static HttpClient AnonymousBrowser(this AwaitHumanApp app) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.Address };

    /// <summary>A browser holding the session cookie of <paramref name="email"/>.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(this AwaitHumanApp app, string email, string password)
    {
        var browser = app.AnonymousBrowser();
        using var response = await browser.PostAsJsonAsync("/v1/auth/login", new { email, password });
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{email} could not sign in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return browser;
    }

    public static string AuthorizeUrl(TestOAuthClient client, string scope, Pkce? pkce, string state = "xyz") =>
        "/connect/authorize?" + string.Join("&", new (string Name, string? Value)[]
        {
            ("response_type", "code"), ("client_id", client.ClientId), ("redirect_uri", RedirectUri), ("scope", scope), ("state", state),
            ("code_challenge", pkce?.Challenge), ("code_challenge_method", pkce is null ? null : "S256"),
        }.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    /// <summary>The query parameters of a redirect to the app.</summary>
    public static Dictionary<string, string> RedirectParameters(HttpResponseMessage response) =>
        QueryOf(response.Headers.Location ?? throw new InvalidOperationException($"No redirect but {(int)response.StatusCode}."));

    public static Dictionary<string, string> QueryOf(Uri uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.IsAbsoluteUri ? uri.Query : new Uri(new Uri("http://localhost"), uri).Query)
            .ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>Signs in, authorizes the app with PKCE and exchanges the code.</summary>
    public static async Task<TokenResponse> AuthorizationCodeTokenAsync(this AwaitHumanApp app, TestOAuthClient client, string email, string password, string scope)
    {
        using var browser = await app.SignedInBrowserAsync(email, password);
        var pkce = Pkce.New();
        using var authorized = await browser.GetAsync(AuthorizeUrl(client, scope, pkce));
        var redirect = RedirectParameters(authorized);
        if (!redirect.TryGetValue("code", out var code)) throw new InvalidOperationException($"No code: {string.Join(", ", redirect)}");
        return await app.RequestTokenAsync(("grant_type", "authorization_code"), ("client_id", client.ClientId), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", pkce.Verifier));
    }

    public static async Task<JsonElement> MeAsync(this AwaitHumanApp app, string bearer)
    {
        using var client = app.CreateHttpClient(bearer);
        using var response = await client.GetAsync("/v1/me");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>The published signing keys, found the way a resource server finds them: through discovery.</summary>
    public static async Task<JsonWebKeySet> KeySetAsync(this AwaitHumanApp app)
    {
        using var client = app.CreateHttpClient();
        using var configuration = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration"));
        return new JsonWebKeySet(await client.GetStringAsync(configuration.RootElement.GetProperty("jwks_uri").GetString()));
    }

    static string? Read(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
