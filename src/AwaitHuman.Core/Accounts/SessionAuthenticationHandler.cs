using System.Security.Claims;
using System.Text.Encodings.Web;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Accounts;

/// <summary>
/// A person signed in with the Identity cookie (the portal, and the OAuth authorize step), acting in
/// the tenant they chose at sign-in. The role is read fresh from their membership on every request.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var cookie = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded) return AuthenticateResult.NoResult();

        var personId = cookie.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var tenantId = cookie.Principal.FindFirstValue(CallerClaims.TenantId);
        if (!Guid.TryParse(personId, out var person) || tenantId is null) return AuthenticateResult.NoResult();

        return await CallerPrincipal.ForPersonAsync(store, SchemeName, person, tenantId, CredentialTypes.Session, personId, Context.RequestAborted);
    }
}
