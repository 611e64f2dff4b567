using System.Diagnostics.CodeAnalysis;
using Marten.Metadata;

namespace AwaitHuman.Core.Teams;

public static class PresenceStatuses
{
    public const string Online = "online";
    public const string Away = "away";
    public const string Offline = "offline";
    public static readonly string[] All = [Online, Away, Offline];
}

/// <summary>
/// Whether a person takes work now, in one tenant. The console sends the status as a heartbeat;
/// when heartbeats stop the person counts as away after <see cref="Grace"/> (no new work) and as
/// offline after <see cref="OfflineAfter"/> (their escalations go to others).
/// </summary>
public sealed class OperatorPresence : ITenanted
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromMinutes(5);

    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    /// <summary>The person's id.</summary>
    public Guid Id { get; set; }
    /// <summary>The status the person chose.</summary>
    public string Status { get; set; } = PresenceStatuses.Offline;
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>When the lapse check is due, while one is scheduled.</summary>
    public DateTimeOffset? CheckDueAt { get; set; }

    /// <summary>The status routing acts on: the chosen one, downgraded when heartbeats stopped.</summary>
    public static string Effective(OperatorPresence? presence, DateTimeOffset now)
    {
        if (presence is null || presence.Status == PresenceStatuses.Offline) return PresenceStatuses.Offline;
        var silence = now - presence.LastSeenAt;
        if (silence > OfflineAfter) return PresenceStatuses.Offline;
        if (silence > Grace) return PresenceStatuses.Away;
        return presence.Status;
    }
}
