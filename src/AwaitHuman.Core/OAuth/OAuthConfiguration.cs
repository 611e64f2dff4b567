using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace AwaitHuman.Core.OAuth;

public static class OAuthConfiguration
{
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>The OpenIddict property that ties an OAuth client to its tenant.</summary>
    public const string TenantProperty = "tenant_id";

    /// <param name="allowHttp">Development and tests speak plain HTTP on loopback; production terminates TLS at the proxy.</param>
    /// <param name="issuer">
    /// The public address tokens name as their issuer (setting <c>OAuth:Issuer</c>). Without it the issuer is
    /// the address of each request, so a token is valid only under the host name it was issued on.
    /// </param>
    public static IServiceCollection AddOAuthServer(this IServiceCollection services, bool allowHttp, Uri? issuer)
    {
        services.AddSingleton<OAuthClientAdministration>();
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AccountsDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(server =>
            {
                if (issuer is not null) server.SetIssuer(issuer);
                server.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                // "plain" PKCE sends the verifier itself as the challenge: only S256 protects a leaked code.
                server.Configure(options => options.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain));
                server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler
                    .UseScopedHandler<RejectScopesBeyondTheClient>()
                    .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
                    .SetType(OpenIddictServerHandlerType.Custom));
                server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler
                    .UseScopedHandler<RejectScopesBeyondTheClient>()
                    .SetOrder(OpenIddictServerHandlers.Authentication.ValidateScopePermissions.Descriptor.Order - 1)
                    .SetType(OpenIddictServerHandlerType.Custom));
                server.RegisterScopes([.. Scopes.All, OpenIddictConstants.Scopes.OfflineAccess]);
                server.SetAccessTokenLifetime(TimeSpan.FromHours(1))
                    .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(5))
                    .SetRefreshTokenLifetime(TimeSpan.FromDays(14));
                // Signed JWTs that any resource server can read; keys come from OAuthKeyRing.
                server.DisableAccessTokenEncryption();
                var aspNet = server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
                if (allowHttp) aspNet.DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                // Each use checks the token's row, so revoking a client's tokens applies at once.
                validation.EnableTokenEntryValidation();
            });
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OAuthKeyRing>();
        return services;
    }

    /// <summary>
    /// A scope the client was not given is <c>invalid_scope</c> (RFC 6749, 4.1.2.1 and 5.2); OpenIddict's
    /// own check, which runs next, would answer <c>invalid_request</c>.
    /// </summary>
    sealed class RejectScopesBeyondTheClient(IOpenIddictApplicationManager applications)
        : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>,
          IOpenIddictServerHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>
    {
        public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
        {
            if (await BeyondTheClientAsync(context.ClientId, context.Request) is { } scope)
                context.Reject(OpenIddictConstants.Errors.InvalidScope, $"This client was not given the scope '{scope}'.");
        }

        public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateAuthorizationRequestContext context)
        {
            if (await BeyondTheClientAsync(context.ClientId, context.Request) is { } scope)
                context.Reject(OpenIddictConstants.Errors.InvalidScope, $"This app was not given the scope '{scope}'.");
        }

        async Task<string?> BeyondTheClientAsync(string? clientId, OpenIddictRequest request)
        {
            // An unknown client is OpenIddict's to refuse (invalid_client); like OpenIddict, protocol scopes are not permissions.
            if (clientId is null || await applications.FindByClientIdAsync(clientId) is not { } client) return null;
            foreach (var scope in request.GetScopes().Where(scope => scope is not (OpenIddictConstants.Scopes.OfflineAccess or OpenIddictConstants.Scopes.OpenId)))
                if (!await applications.HasPermissionAsync(client, OpenIddictConstants.Permissions.Prefixes.Scope + scope)) return scope;
            return null;
        }
    }
}
