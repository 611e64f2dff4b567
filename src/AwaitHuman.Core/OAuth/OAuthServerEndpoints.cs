using System.Security.Claims;
using System.Text.Json;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Wolverine.Http;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AwaitHuman.Core.OAuth;

/// <summary>
/// The token and authorize steps OpenIddict passes through to us: OpenIddict has checked the client,
/// its secret or PKCE and the requested scopes against the client's permissions; we decide whose
/// tenant and which person the token stands for.
/// </summary>
public static class OAuthServerEndpoints
{
    [WolverinePost(OAuthConfiguration.TokenPath, OperationId = "OAuthToken")]
    [Tags("OAuth")]
    [EndpointSummary("OAuth 2 token endpoint: client_credentials, authorization_code (PKCE) and refresh_token")]
    public static async Task<IResult> Token(HttpContext context, IOpenIddictApplicationManager applications, IDocumentStore store, CredentialCache credentials, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not see an OAuth request.");

        if (request.IsClientCredentialsGrantType())
        {
            var client = await applications.FindByClientIdAsync(request.ClientId!, ct);
            var tenantId = client is null ? null : await TenantOfAsync(applications, client, ct);
            var (tenant, problem) = tenantId is null ? (null, "The client belongs to no tenant.") : await CallerPrincipal.ActiveTenantAsync(store, credentials, tenantId, ct);
            if (tenant is null) return Refuse(Errors.InvalidClient, problem!);

            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId)
                .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(client!, ct) ?? request.ClientId)
                .SetClaim(CallerClaims.TenantId, tenant.TenantId)
                .SetClaim(CallerClaims.CredentialType, CredentialTypes.OAuthClient);
            // No scope asked for means every scope the client was given.
            var scopes = request.GetScopes().IsEmpty ? await AllowedScopesAsync(applications, client!, ct) : request.GetScopes().ToArray();
            identity.SetScopes(scopes);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var granted = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
            if (granted is null) return Refuse(Errors.InvalidGrant, "The code or refresh token is no longer valid.");

            // The person may have been removed or the tenant suspended since the grant.
            if (!Guid.TryParse(granted.FindFirstValue(CallerClaims.PersonId), out var personId)
                || !(await CallerPrincipal.ForPersonAsync(store, credentials, "grant", personId, granted.FindFirstValue(CallerClaims.TenantId) ?? "", CredentialTypes.OAuthUser, "", ct)).Succeeded)
                return Refuse(Errors.InvalidGrant, "The person is no longer a member of the tenant, or the tenant is not active.");

            return Results.SignIn(granted, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "Use client_credentials, authorization_code or refresh_token.");
    }

    [WolverineGet(OAuthConfiguration.AuthorizePath, OperationId = "OAuthAuthorize")]
    [Tags("OAuth")]
    [EndpointSummary("OAuth 2 authorization endpoint (authorization code with PKCE) for apps acting for a signed-in person")]
    public static async Task<IResult> Authorize(HttpContext context, IOpenIddictApplicationManager applications, IDocumentStore store, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not see an OAuth request.");

        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded)
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString }, [IdentityConstants.ApplicationScheme]);

        var client = await applications.FindByClientIdAsync(request.ClientId!, ct);
        var tenantId = client is null ? null : await TenantOfAsync(applications, client, ct);
        if (!Guid.TryParse(session.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var personId) || tenantId is null)
            return Refuse(Errors.AccessDenied, "The app belongs to no tenant.");

        // The app's tenant decides; the person must be a member of it, and the token carries at most their role's scopes.
        Membership? membership;
        await using (var query = store.QuerySession(tenantId))
            membership = await query.Query<Membership>().FirstOrDefaultAsync(m => m.PersonId == personId, ct);
        if (membership is null) return Refuse(Errors.AccessDenied, "You are not a member of the tenant this app belongs to.");

        var roleScopes = Roles.ScopesOf(membership.Role);
        var scopes = request.GetScopes().Where(scope => roleScopes.Contains(scope) || scope == OpenIddictConstants.Scopes.OfflineAccess).ToArray();
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, personId.ToString())
            .SetClaim(Claims.Name, membership.Email)
            .SetClaim(CallerClaims.PersonId, personId.ToString())
            .SetClaim(CallerClaims.TenantId, tenantId)
            .SetClaim(CallerClaims.CredentialType, CredentialTypes.OAuthUser);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static async Task<string?> TenantOfAsync(IOpenIddictApplicationManager applications, object client, CancellationToken ct) =>
        (await applications.GetPropertiesAsync(client, ct)).TryGetValue(OAuthConfiguration.TenantProperty, out var tenant) && tenant.ValueKind == JsonValueKind.String
            ? tenant.GetString() : null;

    static async Task<string[]> AllowedScopesAsync(IOpenIddictApplicationManager applications, object client, CancellationToken ct) =>
        (await applications.GetPermissionsAsync(client, ct))
            .Where(permission => permission.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(permission => permission[Permissions.Prefixes.Scope.Length..])
            .ToArray();

    /// <summary>OpenIddict answers with the OAuth error (and, at authorize, redirects it to the app).</summary>
    static IResult Refuse(string error, string description)
    {
        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
        return Results.Forbid(properties, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
