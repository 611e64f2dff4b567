using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.ApiKeys;

public sealed record ApiKeyCreated(Guid ApiKeyId, string Name, string Mode, string Hash, string Hint, string[] Scopes, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "api_key.created";
    public string AuditSubject => $"{Name} ({Hint}) with {string.Join(", ", Scopes)}";
}

public sealed record ApiKeyRevoked(Guid ApiKeyId, string Name, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "api_key.revoked";
    public string AuditSubject => Name;
}

/// <summary>An agent's credential. Only the SHA-256 hash of the key is kept.</summary>
public sealed class ApiKey : ITenanted
{
    /// <summary>Filled in by Marten from the row; lets cross-tenant lookups say whose this is.</summary>
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public const string LivePrefix = "ah_live_";
    public const string TestPrefix = "ah_test_";

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary><c>live</c> or <c>test</c>.</summary>
    public string Mode { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Hint { get; set; } = "";
    public string[] Scopes { get; set; } = [];
    public Actor CreatedBy { get; set; } = Actor.System("unknown");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;

    public static ApiKey Create(ApiKeyCreated created) => new()
    {
        Id = created.ApiKeyId,
        Name = created.Name,
        Mode = created.Mode,
        Hash = created.Hash,
        Hint = created.Hint,
        Scopes = created.Scopes,
        CreatedBy = created.By,
        CreatedAt = created.At,
    };

    public void Apply(ApiKeyRevoked revoked) => RevokedAt = revoked.At;

    public static bool LooksLikeOne(string secret) => secret.StartsWith(LivePrefix, StringComparison.Ordinal) || secret.StartsWith(TestPrefix, StringComparison.Ordinal);
}
