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

/// <summary>The time zone and locale the tenant's people and pages start from.</summary>
public sealed record TenantDefaultsChanged(Guid TenantId, string TimeZone, string Locale, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "tenant.defaults_changed";
    public string AuditSubject => $"tenant: time zone {TimeZone}, locale {Locale}";
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

    /// <summary>The IANA time zone the tenant's pages start from where a person chose none.</summary>
    public string TimeZone { get; set; } = TenantRules.DefaultTimeZone;

    /// <summary>The culture (BCP 47 name) for the tenant's dates and numbers.</summary>
    public string Locale { get; set; } = TenantRules.DefaultLocale;

    /// <summary>
    /// Slugs the tenant had before: they stay its own, so a link, a script or a person signing in with
    /// an old slug still finds it, and no other company can take the name over.
    /// </summary>
    public List<string> FormerSlugs { get; set; } = [];

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
        if (renamed.Slug != Slug && !FormerSlugs.Contains(Slug)) FormerSlugs.Add(Slug);
        FormerSlugs.Remove(renamed.Slug);
        Name = renamed.Name;
        Slug = renamed.Slug;
    }

    public void Apply(TenantDefaultsChanged changed)
    {
        TimeZone = changed.TimeZone;
        Locale = changed.Locale;
    }

    /// <summary>Whether this slug names the tenant, now or before.</summary>
    public bool IsNamed(string slug) => Slug == slug || FormerSlugs.Contains(slug);

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
