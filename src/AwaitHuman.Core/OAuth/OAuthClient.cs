using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using JasperFx.Events.Projections;
using Marten;
using Marten.Metadata;

namespace AwaitHuman.Core.OAuth;

public sealed record OAuthClientRegistered(Guid OAuthClientId, string ClientId, string Name, string Type, string[] Scopes, string[] RedirectUris, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "oauth_client.registered";
    public string AuditSubject => $"{Name} ({ClientId}, {Type}) with {string.Join(", ", Scopes)}";
}

public sealed record OAuthClientRemoved(Guid OAuthClientId, string ClientId, string Name, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "oauth_client.removed";
    public string AuditSubject => $"{Name} ({ClientId})";
}

/// <summary>
/// The tenant's view of an OAuth client. OpenIddict's application row (same id) holds the secret
/// hash and permissions; this document makes clients listable per tenant and their history auditable.
/// </summary>
public sealed class OAuthClient : ITenanted
{
    public const string ConfidentialType = "confidential";
    public const string PublicType = "public";

    public Guid Id { get; set; }
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";
    public string ClientId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string[] Scopes { get; set; } = [];
    public string[] RedirectUris { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }

    public static OAuthClient Create(OAuthClientRegistered registered) => new()
    {
        Id = registered.OAuthClientId,
        ClientId = registered.ClientId,
        Name = registered.Name,
        Type = registered.Type,
        Scopes = registered.Scopes,
        RedirectUris = registered.RedirectUris,
        CreatedAt = registered.At,
    };

    public bool ShouldDelete(OAuthClientRemoved _) => true;
}

public static class OAuthClientsConfiguration
{
    public static void ConfigureOAuthClients(this StoreOptions opts) => opts.Projections.Snapshot<OAuthClient>(SnapshotLifecycle.Inline);
}
