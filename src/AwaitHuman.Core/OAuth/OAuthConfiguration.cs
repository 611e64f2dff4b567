using AwaitHuman.Core.Accounts;
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
    public static IServiceCollection AddOAuthServer(this IServiceCollection services, bool allowHttp)
    {
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AccountsDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                // "plain" PKCE sends the verifier itself as the challenge: only S256 protects a leaked code.
                server.Configure(options => options.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain));
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
}
