using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Portal.Session;

/// <summary>
/// A console circuit keeps the principal it started with. Every minute this checks that the session
/// behind it still stands (same security stamp, still a member with the same role); if not, the
/// console signs the person out and sends them to the sign-in page.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory logging, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(logging)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        StillStandsAsync(state.User, scopes, ct);

    /// <summary>Whether the session behind a console principal still stands, with the same role.</summary>
    public static async Task<bool> StillStandsAsync(ClaimsPrincipal user, IServiceScopeFactory scopes, CancellationToken ct)
    {
        if (Caller.From(user) is not { PersonId: { } personId } caller) return false;
        await using var scope = scopes.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var person = await people.FindByIdAsync(personId.ToString());
        if (person is null || user.FindFirstValue(SessionAuthenticationHandler.SecurityStampClaim) != await people.GetSecurityStampAsync(person))
            return false;

        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        var credentials = scope.ServiceProvider.GetRequiredService<CredentialCache>();
        var now = await CallerPrincipal.ForPersonAsync(store, credentials, SessionAuthenticationHandler.SchemeName, personId, caller.TenantId, CredentialTypes.Session, personId.ToString(), ct);
        return now.Succeeded && Caller.From(now.Principal!)?.Role == caller.Role;
    }
}
