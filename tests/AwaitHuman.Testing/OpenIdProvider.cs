using System.Security.Claims;
using System.Security.Cryptography;
using AwaitHuman.Server.Hosting;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AwaitHuman.Testing;

/// <summary>
/// A tenant's identity provider for the tests: an OpenIddict server on 127.0.0.1 with one confidential
/// client, the authorization code flow and PKCE, signing identity tokens with its own key. Nobody types
/// a password here: the person signed in is the login hint the sign-in page passed on (or
/// <see cref="SignedInEmail"/>). Its knobs make it misbehave the ways a misconfigured provider does:
/// another issuer than its address, identity tokens for another audience, a clock far behind.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ShiftedClock _clock = new();

    OpenIdProvider(WebApplication app, Uri address, Uri issuer, string clientId, string clientSecret) =>
        (_app, Address, Issuer, ClientId, ClientSecret) = (app, address, issuer, clientId, clientSecret);

    /// <summary>Where it listens; also its issuer unless started with another.</summary>
    public Uri Address { get; }

    /// <summary>What its metadata and tokens name as the issuer.</summary>
    public Uri Issuer { get; }

    public string ClientId { get; }
    public string ClientSecret { get; }

    /// <summary>The person signed in, whatever the login hint said; null: the login hint.</summary>
    public string? SignedInEmail { get; set; }

    /// <summary>The audience of the identity tokens it issues; null: the client, as it should.</summary>
    public string? IdentityTokenAudience { get; set; }

    /// <summary>How far its clock is off; tokens issued two hours behind are long expired on arrival.</summary>
    public TimeSpan ClockOffset { get => _clock.Offset; set => _clock.Offset = value; }

    /// <param name="issuerHost">A host name for its issuer other than 127.0.0.1 (e.g. localhost): a provider whose tokens name another issuer than the address the owner entered.</param>
    public static async Task<OpenIdProvider> StartAsync(string? issuerHost = null)
    {
        var port = LoopbackPort.Free();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var issuer = new Uri($"http://{issuerHost ?? "127.0.0.1"}:{port}/");
        var clientId = $"awaithuman-{Guid.NewGuid():N}"[..24];
        var clientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        OpenIdProvider? provider = null;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.ToString());
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(issuer);
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            // No client store: this provider knows its one client and checks it itself.
            server.EnableDegradedMode();
            server.UseAspNetCore().DisableTransportSecurityRequirement().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
            server.Configure(options => options.TimeProvider = provider!._clock);

            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != clientId) context.Reject(Errors.InvalidClient, "Unknown client.");
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != clientId || context.ClientSecret != clientSecret) context.Reject(Errors.InvalidClient, "Wrong client id or secret.");
                return default;
            }));
            server.AddEventHandler<ProcessSignInContext>(handler => handler.UseInlineHandler(context =>
            {
                if (provider!.IdentityTokenAudience is { } audience && context.IdentityTokenPrincipal is { } principal) principal.SetAudiences(audience);
                return default;
            }).SetOrder(OpenIddictServerHandlers.PrepareIdentityTokenPrincipal.Descriptor.Order + 1));
        });

        var app = builder.Build();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            var email = provider!.SignedInEmail ?? request.LoginHint ?? "nobody@example.invalid";
            var identity = new ClaimsIdentity("OpenIdProvider", Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, $"idp-{email}").SetClaim(Claims.Email, email).SetClaim(Claims.EmailVerified, true)
                .SetClaim(Claims.Name, email.Split('@')[0]);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/connect/token", async (HttpContext context) =>
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        provider = new OpenIdProvider(app, address, issuer, clientId, clientSecret);
        await app.StartAsync();
        return provider;
    }

    /// <summary>The body of <c>PUT /v1/sso</c> for this provider.</summary>
    public object Settings(string[] domains, string? defaultRole = null, bool requireSso = false, string? breakGlassEmail = null, string? issuer = null) => new
    {
        issuer = issuer ?? Address.ToString(),
        client_id = ClientId,
        client_secret = ClientSecret,
        domains,
        default_role = defaultRole,
        require_sso = requireSso,
        break_glass_email = breakGlassEmail,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }
}
