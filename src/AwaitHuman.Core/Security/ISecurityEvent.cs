namespace AwaitHuman.Core.Security;

/// <summary>An event that belongs in the tenant's audit trail: who did what, when and from where.</summary>
public interface ISecurityEvent
{
    Actor By { get; }
    DateTimeOffset At { get; }

    /// <summary>A stable dotted name, e.g. <c>api_key.revoked</c>, for filtering.</summary>
    string AuditAction { get; }

    /// <summary>What was changed, in words.</summary>
    string AuditSubject { get; }
}
