using System.Net.Http.Json;
using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Security;
using AwaitHuman.Portal.Session;
using AwaitHuman.Server.Tests.OAuth;
using AwaitHuman.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Portal;

/// <summary>A console circuit outlives its request: the session behind it is checked again, and ends the console when it no longer stands.</summary>
public sealed class SessionRevalidationTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    IServiceScopeFactory Scopes => _app.Services.GetRequiredService<IServiceScopeFactory>();

    /// <summary>The principal a circuit starts with, as the session handler builds it from the cookie.</summary>
    async Task<ClaimsPrincipal> ConsolePrincipalAsync(TestTenantAccount tenant, TestMember member)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var person = (await people.FindByIdAsync(member.PersonId.ToString()))!;
        var result = await CallerPrincipal.ForPersonAsync(_app.Store, _app.Services.GetRequiredService<CredentialCache>(), SessionAuthenticationHandler.SchemeName, member.PersonId, tenant.TenantId,
            CredentialTypes.Session, member.PersonId.ToString(), Ct);
        var principal = result.Principal!;
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionAuthenticationHandler.SecurityStampClaim, (await people.GetSecurityStampAsync(person))!));
        return principal;
    }

    [Fact]
    public async Task A_session_stands_until_the_person_signs_out_elsewhere()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var principal = await ConsolePrincipalAsync(tenant, member);
        (await SessionRevalidation.StillStandsAsync(principal, Scopes, Ct)).ShouldBeTrue();

        // Signing out in another browser gives the person a new security stamp.
        using var elsewhere = await _app.SignedInBrowserAsync(member.Email, member.Password);
        using (var signOut = await elsewhere.PostAsync("/v1/auth/logout", null, Ct)) signOut.EnsureSuccessStatusCode();

        (await SessionRevalidation.StillStandsAsync(principal, Scopes, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_changed_role_or_a_removed_membership_ends_it()
    {
        var tenant = await _app.NewTenantAsync();
        var promoted = await _app.NewMemberAsync(tenant, "operator");
        var removed = await _app.NewMemberAsync(tenant, "operator");
        var promotedPrincipal = await ConsolePrincipalAsync(tenant, promoted);
        var removedPrincipal = await ConsolePrincipalAsync(tenant, removed);
        using var owner = _app.CreateHttpClient();
        owner.DefaultRequestHeaders.Authorization = new("Bearer", tenant.ApiKey);

        using (var promotion = await owner.PatchAsJsonAsync($"/v1/members/{promoted.MembershipId}", new { role = "supervisor" }, Ct)) promotion.EnsureSuccessStatusCode();
        using (var removal = await owner.DeleteAsync($"/v1/members/{removed.MembershipId}", Ct)) removal.EnsureSuccessStatusCode();

        (await SessionRevalidation.StillStandsAsync(promotedPrincipal, Scopes, Ct)).ShouldBeFalse();
        (await SessionRevalidation.StillStandsAsync(removedPrincipal, Scopes, Ct)).ShouldBeFalse();
    }
}
