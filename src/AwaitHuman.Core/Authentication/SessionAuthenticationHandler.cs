using System.Security.Claims;
using System.Text.Encodings.Web;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Authentication;

/// <summary>
/// A person signed in with the Identity cookie (the portal, and the OAuth authorize step), acting in
/// the tenant they chose at sign-in. The role is read fresh from their membership on every request,
/// and the cookie's security stamp must still be the person's: signing out, resetting the password
/// or changing two-factor sign-in ends every session at once.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    CredentialCache credentials,
    UserManager<Person> people)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";

    /// <summary>The session's security stamp, on the caller principal of a session.</summary>
    public const string SecurityStampClaim = "session_security_stamp";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var cookie = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded) return AuthenticateResult.NoResult();

        var personId = cookie.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var tenantId = cookie.Principal.FindFirstValue(CallerClaims.TenantId);
        if (!Guid.TryParse(personId, out var person) || tenantId is null) return AuthenticateResult.NoResult();

        var stamp = cookie.Principal.FindFirstValue(people.Options.ClaimsIdentity.SecurityStampClaimType);
        var current = await people.FindByIdAsync(personId!);
        if (current is null || stamp is null || stamp != await people.GetSecurityStampAsync(current))
            return AuthenticateResult.Fail("The session has ended; sign in again.");

        var result = await CallerPrincipal.ForPersonAsync(store, credentials, SchemeName, person, tenantId, CredentialTypes.Session, personId!, Context.RequestAborted);
        // The console's circuit outlives this request; it compares this stamp with the person's every minute.
        if (result.Succeeded && result.Principal.Identity is ClaimsIdentity identity) identity.AddClaim(new Claim(SecurityStampClaim, stamp));
        return result;
    }
}
