using AwaitHuman.Core.Security;

namespace AwaitHuman.Core.DataRights;

// Appended to the tenant's stream, so the audit trail lists them. They name how the customer was
// found, never the email, phone or reference itself: the trail outlives the erasure.

public sealed record CustomerDataExported(int Escalations, string IdentifiedBy, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "customer_data.exported";
    public string AuditSubject => $"a customer's data ({Escalations} escalations, found by {IdentifiedBy})";
}

public sealed record CustomerDataErased(int Escalations, string IdentifiedBy, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "customer_data.erased";
    public string AuditSubject => $"a customer's personal data in {Escalations} escalations (found by {IdentifiedBy})";
}

/// <summary>The retention job masked the transcripts of escalations that ended before the tenant's period.</summary>
public sealed record TranscriptsExpired(int Escalations, int RetentionDays, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "customer_data.transcripts_expired";
    public string AuditSubject => $"transcripts of {Escalations} escalations ended over {RetentionDays} days ago";
}
