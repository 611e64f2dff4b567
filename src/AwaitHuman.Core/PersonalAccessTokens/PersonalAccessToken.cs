using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.PersonalAccessTokens;

public sealed record PersonalAccessTokenIssued(Guid TokenId, Guid PersonId, string Name, string Hash, string Hint, DateTimeOffset? ExpiresAt, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "personal_access_token.issued";
    public string AuditSubject => $"{Name} ({Hint}) for person {PersonId}";
}

public sealed record PersonalAccessTokenRevoked(Guid TokenId, Guid PersonId, string Name, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "personal_access_token.revoked";
    public string AuditSubject => $"{Name} for person {PersonId}";
}

/// <summary>
/// A person's token for scripts, valid in one tenant. It carries no role of its own: the person's
/// current membership decides, so a role change or removal applies at once.
/// </summary>
public sealed class PersonalAccessToken : ITenanted
{
    /// <summary>Filled in by Marten from the row; lets cross-tenant lookups say whose this is.</summary>
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public const string Prefix = "ahp_";

    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Hint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public static PersonalAccessToken Create(PersonalAccessTokenIssued issued) => new()
    {
        Id = issued.TokenId,
        PersonId = issued.PersonId,
        Name = issued.Name,
        Hash = issued.Hash,
        Hint = issued.Hint,
        CreatedAt = issued.At,
        ExpiresAt = issued.ExpiresAt,
    };

    public void Apply(PersonalAccessTokenRevoked revoked) => RevokedAt = revoked.At;
}
