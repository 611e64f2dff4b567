using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.SingleSignOn;

/// <summary>The owner set or changed the tenant's OpenID Connect provider; the client secret is only ever stored encrypted.</summary>
public sealed record SingleSignOnConfigured(
    Guid ConnectionId, string Issuer, string ClientId, string ProtectedClientSecret, string[] Domains, string DefaultRole,
    bool RequireSso, string? BreakGlassEmail, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "sso.configured";
    public string AuditSubject => $"{Issuer} for {string.Join(", ", Domains)}, new people as {DefaultRole}" +
        (RequireSso ? $", required (break-glass owner {BreakGlassEmail})" : "");
}

public sealed record SingleSignOnRemoved(Guid ConnectionId, string Issuer, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "sso.removed";
    public string AuditSubject => Issuer;
}

/// <summary>
/// A tenant's OpenID Connect provider (Okta, Entra ID, Google Workspace, ...): at most one per tenant,
/// its stream deleted when the owner removes it. <see cref="UpdatedAt"/> changes with every change, so
/// each node builds the sign-in options again after one.
/// </summary>
public sealed class SsoConnection : ITenanted
{
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public string Issuer { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>Data Protection ciphertext (<see cref="SsoSecrets"/>); never leaves the server.</summary>
    public string ProtectedClientSecret { get; set; } = "";
    /// <summary>Lower-case email domains the provider vouches for; each belongs to one tenant only.</summary>
    public string[] Domains { get; set; } = [];
    public string DefaultRole { get; set; } = Roles.Operator;
    public bool RequireSso { get; set; }
    public string? BreakGlassEmail { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static SsoConnection Create(SingleSignOnConfigured configured)
    {
        var connection = new SsoConnection { Id = configured.ConnectionId };
        connection.Apply(configured);
        return connection;
    }

    public void Apply(SingleSignOnConfigured configured)
    {
        Issuer = configured.Issuer;
        ClientId = configured.ClientId;
        ProtectedClientSecret = configured.ProtectedClientSecret;
        Domains = configured.Domains;
        DefaultRole = configured.DefaultRole;
        RequireSso = configured.RequireSso;
        BreakGlassEmail = configured.BreakGlassEmail;
        UpdatedAt = configured.At;
    }

    public bool ShouldDelete(SingleSignOnRemoved _) => true;

    public bool Covers(string email) => DomainOf(email) is { } domain && Domains.Contains(domain);

    /// <summary>Whether this person may still sign in with a password while SSO is required.</summary>
    public bool IsBreakGlass(string email) => string.Equals(BreakGlassEmail, email, StringComparison.OrdinalIgnoreCase);

    public static string? DomainOf(string email) =>
        email.LastIndexOf('@') is var at and > 0 && at < email.Length - 1 ? email[(at + 1)..].Trim().ToLowerInvariant() : null;
}
