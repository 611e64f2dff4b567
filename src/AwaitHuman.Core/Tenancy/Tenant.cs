using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.Tenancy;

public sealed record TenantCreated(Guid TenantId, string Name, string Slug, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.created";
    public string AuditSubject => $"tenant {Slug}";
}

/// <summary>The owner verified their email address; the tenant may now use the API.</summary>
public sealed record TenantActivated(Guid TenantId, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.activated";
    public string AuditSubject => "tenant";
}

public sealed record TenantRenamed(Guid TenantId, string Name, string Slug, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.renamed";
    public string AuditSubject => $"tenant {Slug} ({Name})";
}

public sealed record TenantSuspended(Guid TenantId, string Reason, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.suspended";
    public string AuditSubject => $"tenant: {Reason}";
}

public sealed record TenantReactivated(Guid TenantId, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.reactivated";
    public string AuditSubject => "tenant";
}

/// <summary>How long transcripts of ended escalations are kept before they are masked; null keeps them.</summary>
public sealed record TranscriptRetentionSet(Guid TenantId, int? Days, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.retention_set";
    public string AuditSubject => Days is { } days ? $"transcripts kept {days} days after an escalation ends" : "transcripts kept until erased";
}

public enum TenantStatus
{
    PendingVerification,
    Active,
    Suspended,
}

/// <summary>
/// A customer company. Its stream id is its internal id, which is also its Marten and Wolverine
/// tenant id (as a string); callers only ever see the slug.
/// </summary>
public sealed class Tenant : ITenanted
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Slug { get; set; } = "";
    public TenantStatus Status { get; set; }
    public string? SuspensionReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Days after an escalation ends until its transcript is masked; null keeps it.</summary>
    public int? TranscriptRetentionDays { get; set; }

    /// <summary>The Marten and Wolverine tenant id: <see cref="Id"/> as a string.</summary>
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public static Tenant Create(TenantCreated created) => new()
    {
        Id = created.TenantId,
        TenantId = created.TenantId.ToString(),
        Name = created.Name,
        Slug = created.Slug,
        Status = TenantStatus.PendingVerification,
        CreatedAt = created.At,
    };

    public void Apply(TenantActivated _) => Status = TenantStatus.Active;

    public void Apply(TenantRenamed renamed)
    {
        Name = renamed.Name;
        Slug = renamed.Slug;
    }

    public void Apply(TenantSuspended suspended)
    {
        Status = TenantStatus.Suspended;
        SuspensionReason = suspended.Reason;
    }

    public void Apply(TenantReactivated _)
    {
        Status = TenantStatus.Active;
        SuspensionReason = null;
    }

    public void Apply(TranscriptRetentionSet set) => TranscriptRetentionDays = set.Days;
}
