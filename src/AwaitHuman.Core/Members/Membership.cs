using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.Members;

public sealed record MemberAdded(Guid MembershipId, Guid PersonId, string Email, string Role, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.added";
    public string AuditSubject => $"{Email} as {Role}";
}

public sealed record MemberRoleChanged(Guid MembershipId, Guid PersonId, string Email, string From, string To, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.role_changed";
    public string AuditSubject => $"{Email} from {From} to {To}";
}

public sealed record MemberRemoved(Guid MembershipId, Guid PersonId, string Email, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.removed";
    public string AuditSubject => Email;
}

/// <summary>Sign-in was locked after too many failed passwords (Identity's lockout), recorded in each of the person's tenants.</summary>
public sealed record MemberLockedOut(Guid MembershipId, Guid PersonId, string Email, int FailedAttempts, DateTimeOffset LockedUntil, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.locked_out";
    public string AuditSubject => $"{Email} after {FailedAttempts} failed sign-ins, until {LockedUntil:u}";
}

/// <summary>The person set a new password with a mailed reset code.</summary>
public sealed record MemberPasswordReset(Guid MembershipId, Guid PersonId, string Email, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.password_reset";
    public string AuditSubject => Email;
}

public sealed record MemberTwoFactorChanged(Guid MembershipId, Guid PersonId, string Email, bool Enabled, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => Enabled ? "member.two_factor_enabled" : "member.two_factor_disabled";
    public string AuditSubject => Email;
}

/// <summary>A person's place in one tenant; the document is deleted when the member is removed.</summary>
public sealed class Membership : ITenanted
{
    /// <summary>Filled in by Marten from the row; lets cross-tenant lookups say whose this is.</summary>
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public string Email { get; set; } = "";
    public string Role { get; set; } = "";
    public DateTimeOffset AddedAt { get; set; }

    public static Membership Create(MemberAdded added) => new()
    {
        Id = added.MembershipId,
        PersonId = added.PersonId,
        Email = added.Email,
        Role = added.Role,
        AddedAt = added.At,
    };

    public void Apply(MemberRoleChanged changed) => Role = changed.To;

    public bool ShouldDelete(MemberRemoved _) => true;
}
