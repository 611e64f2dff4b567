using System.Security.Claims;
using System.Text.Encodings.Web;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace AwaitHuman.Core.OAuth;

/// <summary>
/// <c>Authorization: Bearer &lt;JWT&gt;</c> from our OAuth server. OpenIddict checks the signature,
/// lifetime and that the token was not revoked; this handler turns the token's tenant claim into the
/// caller, with the same checks as every other credential (tenant active, person still a member).
/// </summary>
public sealed class OAuthTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    CredentialCache credentials)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OAuthToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var validated = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!validated.Succeeded) return AuthenticateResult.Fail("The access token is not valid, has expired or was revoked.");

        var token = validated.Principal;
        var tenantId = token.FindFirstValue(CallerClaims.TenantId);
        var credentialType = token.FindFirstValue(CallerClaims.CredentialType);
        var clientId = token.GetClaim(OpenIddictConstants.Claims.ClientId) ?? token.FindFirstValue(OpenIddictConstants.Claims.Subject) ?? "";
        if (tenantId is null) return AuthenticateResult.Fail("The access token names no tenant.");

        if (credentialType == CredentialTypes.OAuthUser)
        {
            if (!Guid.TryParse(token.FindFirstValue(CallerClaims.PersonId), out var personId))
                return AuthenticateResult.Fail("The access token names no person.");
            var person = await CallerPrincipal.ForPersonAsync(store, credentials, SchemeName, personId, tenantId, CredentialTypes.OAuthUser, clientId, Context.RequestAborted);
            if (!person.Succeeded) return person;
            // The app acts for the person, but only within the scopes the person granted it.
            var granted = token.GetScopes().ToHashSet();
            var identity = (ClaimsIdentity)person.Principal!.Identity!;
            foreach (var scope in identity.FindAll(CallerClaims.Scope).Where(scope => !granted.Contains(scope.Value)).ToArray()) identity.RemoveClaim(scope);
            return person;
        }

        var (tenant, problem) = await CallerPrincipal.ActiveTenantAsync(store, credentials, tenantId, Context.RequestAborted);
        if (tenant is null) return AuthenticateResult.Fail(problem!);
        var principal = CallerPrincipal.Create(SchemeName, tenant, CredentialTypes.OAuthClient, clientId,
            token.GetScopes().Where(Scopes.IsKnown), role: null, personId: null, token.FindFirstValue(CallerClaims.Name) ?? clientId);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
