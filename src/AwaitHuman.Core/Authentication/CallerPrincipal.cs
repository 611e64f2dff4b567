using System.Security.Claims;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using Marten;
using Microsoft.AspNetCore.Authentication;

namespace AwaitHuman.Core.Authentication;

/// <summary>
/// Builds the one principal shape every credential ends in (see <see cref="CallerClaims"/>), and
/// the checks they share: the tenant must be active, a person must still be a member.
/// </summary>
public static class CallerPrincipal
{
    public static ClaimsPrincipal Create(
        string scheme, Tenant tenant, string credentialType, string credentialId,
        IEnumerable<string> scopes, string? role, Guid? personId, string name, string? displayName = null)
    {
        var claims = new List<Claim>
        {
            new(CallerClaims.TenantId, tenant.Id.ToString()),
            new(CallerClaims.TenantSlug, tenant.Slug),
            new(CallerClaims.CredentialType, credentialType),
            new(CallerClaims.CredentialId, credentialId),
            new(CallerClaims.Name, name),
        };
        claims.AddRange(scopes.Select(scope => new Claim(CallerClaims.Scope, scope)));
        if (role is not null) claims.Add(new Claim(CallerClaims.Role, role));
        if (personId is not null) claims.Add(new Claim(CallerClaims.PersonId, personId.Value.ToString()));
        if (!string.IsNullOrWhiteSpace(displayName)) claims.Add(new Claim(CallerClaims.DisplayName, displayName));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, CallerClaims.Name, CallerClaims.Role));
    }

    /// <summary>The tenant, as the credential cache has it, if it may act; otherwise why not.</summary>
    public static async Task<(Tenant? Tenant, string? Problem)> ActiveTenantAsync(IDocumentStore store, CredentialCache credentials, string tenantId, CancellationToken ct) =>
        Guid.TryParse(tenantId, out var id) ? Active(await credentials.TenantAsync(store, id, ct)) : (null, NoTenant);

    public const string NoTenant = "The credential names no tenant.";

    /// <summary>The tenant if it may act now; otherwise why not.</summary>
    public static (Tenant? Tenant, string? Problem) Active(Tenant? tenant) =>
        tenant?.Status switch
        {
            null => (null, "The credential's tenant no longer exists."),
            TenantStatus.Suspended => (null, $"The tenant '{tenant.Slug}' is suspended."),
            TenantStatus.PendingVerification => (null, $"The tenant '{tenant.Slug}' has not verified its owner's email yet."),
            _ => (tenant, null),
        };

    /// <summary>
    /// A person acting in one tenant: their current membership decides the role, so removing a member
    /// or changing their role applies to every credential they hold, at once.
    /// </summary>
    public static async Task<AuthenticateResult> ForPersonAsync(
        IDocumentStore store, CredentialCache credentials, string scheme, Guid personId, string tenantId, string credentialType, string credentialId, CancellationToken ct)
    {
        var (tenant, problem) = await ActiveTenantAsync(store, credentials, tenantId, ct);
        if (tenant is null) return AuthenticateResult.Fail(problem!);

        var membership = await credentials.MembershipAsync(store, tenantId, personId, ct);
        if (membership is null) return AuthenticateResult.Fail($"This person is not a member of '{tenant.Slug}'.");

        var displayName = await credentials.DisplayNameAsync(store, personId, ct);
        var principal = Create(scheme, tenant, credentialType, credentialId, Roles.ScopesOf(membership.Role), membership.Role, personId, membership.Email, displayName);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, scheme));
    }

    /// <summary>The bearer token of the request, if it has one.</summary>
    public static string? BearerToken(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
