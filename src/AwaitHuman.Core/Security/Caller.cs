using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Core.Security;

/// <summary>Who is calling, read from the claims the authentication handlers set.</summary>
public sealed record Caller(
    string TenantId,
    string TenantSlug,
    string CredentialType,
    string CredentialId,
    IReadOnlyList<string> Scopes,
    string? Role,
    Guid? PersonId,
    string Name)
{
    public static Caller? From(ClaimsPrincipal principal)
    {
        var tenantId = principal.FindFirstValue(CallerClaims.TenantId);
        if (tenantId is null) return null;
        Guid? personId = Guid.TryParse(principal.FindFirstValue(CallerClaims.PersonId), out var id) ? id : null;
        return new Caller(
            tenantId,
            principal.FindFirstValue(CallerClaims.TenantSlug) ?? "",
            principal.FindFirstValue(CallerClaims.CredentialType) ?? "",
            principal.FindFirstValue(CallerClaims.CredentialId) ?? "",
            principal.FindAll(CallerClaims.Scope).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray(),
            principal.FindFirstValue(CallerClaims.Role),
            personId,
            principal.FindFirstValue(CallerClaims.Name) ?? "")
        {
            DisplayName = principal.FindFirstValue(CallerClaims.DisplayName),
        };
    }

    /// <summary>
    /// How a person signs what customers see (replies, the operator named on a conversation); the audit
    /// keeps <see cref="Name"/>, their email.
    /// </summary>
    public string? DisplayName { get; init; }

    /// <summary>The caller of an endpoint that requires authentication.</summary>
    public static Caller Of(HttpContext context) =>
        From(context.User) ?? throw new InvalidOperationException("This endpoint must require an authenticated tenant caller.");

    public Guid TenantGuid => Guid.Parse(TenantId);

    public bool Has(string scope) => Scopes.Contains(scope);

    /// <summary>How this caller appears in the audit trail.</summary>
    public Actor AsActor(HttpContext context) => new(CredentialType, PersonId?.ToString() ?? CredentialId, Name, Actor.SourceIpOf(context));
}
