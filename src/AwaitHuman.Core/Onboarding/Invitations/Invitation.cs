using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using JasperFx.Events.Projections;
using Marten;
using Marten.Metadata;

namespace AwaitHuman.Core.Onboarding.Invitations;

/// <summary>An admin invited an address to join with a role; only the hash of the mailed link's token is kept.</summary>
public sealed record MemberInvited(Guid InvitationId, string Email, string Role, string TokenHash, DateTimeOffset ExpiresAt, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.invited";
    public string AuditSubject => $"{Email} as {Role}";
}

/// <summary>The invitation was mailed again with a new link; the old link stops working.</summary>
public sealed record InvitationResent(Guid InvitationId, string Email, string TokenHash, DateTimeOffset ExpiresAt, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.invitation_resent";
    public string AuditSubject => Email;
}

public sealed record InvitationRevoked(Guid InvitationId, string Email, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.invitation_revoked";
    public string AuditSubject => Email;
}

/// <summary>The invited person accepted; their membership's own <c>MemberAdded</c> follows in the same commit.</summary>
public sealed record InvitationAccepted(Guid InvitationId, string Email, Guid PersonId, Guid MembershipId, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "member.invitation_accepted";
    public string AuditSubject => Email;
}

/// <summary>A pending invitation of one tenant; the document goes when it is accepted or revoked.</summary>
public sealed class Invitation : ITenanted
{
    /// <summary>How long a mailed link works; resending mails a new one.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public const string TokenPrefix = "ahi_";

    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public string Email { get; set; } = "";
    public string Role { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset InvitedAt { get; set; }
    public string InvitedBy { get; set; } = "";
    public int TimesSent { get; set; }

    public static Invitation Create(MemberInvited invited) => new()
    {
        Id = invited.InvitationId,
        Email = invited.Email,
        Role = invited.Role,
        TokenHash = invited.TokenHash,
        ExpiresAt = invited.ExpiresAt,
        InvitedAt = invited.At,
        InvitedBy = invited.By.Name,
        TimesSent = 1,
    };

    public void Apply(InvitationResent resent)
    {
        TokenHash = resent.TokenHash;
        ExpiresAt = resent.ExpiresAt;
        TimesSent++;
    }

    public bool ShouldDelete(InvitationRevoked _) => true;

    public bool ShouldDelete(InvitationAccepted _) => true;
}

public static class InvitationsConfiguration
{
    public static void ConfigureInvitations(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Invitation>(SnapshotLifecycle.Inline);
        // The accept link names no tenant: its token is looked up across tenants by hash.
        opts.Schema.For<Invitation>().Index(invitation => invitation.TokenHash);
    }
}
