using System.Diagnostics.CodeAnalysis;
using AwaitHuman.Core.Security;
using Marten.Metadata;

namespace AwaitHuman.Core.Channels.Connections;

/// <param name="ProtectedSecrets">The secrets as one Data Protection ciphertext; never shown again.</param>
public sealed record ChannelConnected(
    Guid ConnectionId, string Provider, string Name, string[] Channels, Dictionary<string, string> Settings,
    string ProtectedSecrets, string[] SecretNames, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "channel_connection.created";
    public string AuditSubject => $"{Name} ({Provider}: {string.Join(", ", Channels)})";
}

/// <param name="Settings">The whole set of settings after the change.</param>
/// <param name="ChangedSecrets">The names of the secrets given anew; the others kept their values.</param>
public sealed record ChannelConnectionUpdated(
    Guid ConnectionId, string Name, string[] Channels, Dictionary<string, string> Settings,
    string ProtectedSecrets, string[] SecretNames, string[] ChangedSecrets, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "channel_connection.updated";
    public string AuditSubject => ChangedSecrets.Length == 0 ? Name : $"{Name} (new {string.Join(", ", ChangedSecrets)})";
}

public sealed record ChannelConnectionDisabled(Guid ConnectionId, string? Reason, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "channel_connection.disabled";
    public string AuditSubject => Reason ?? ConnectionId.ToString();
}

public sealed record ChannelConnectionEnabled(Guid ConnectionId, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "channel_connection.enabled";
    public string AuditSubject => ConnectionId.ToString();
}

public sealed record ChannelConnectionDeleted(Guid ConnectionId, string Name, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "channel_connection.deleted";
    public string AuditSubject => Name;
}

/// <summary>
/// A tenant's connection to one provider, the snapshot of its stream. Replies on a channel go
/// through the newest enabled connection serving it.
/// </summary>
public sealed class Connection : ITenanted
{
    /// <summary>Filled in by Marten; provider webhooks find a connection by id alone and learn its tenant here.</summary>
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public string Provider { get; set; } = "";
    public string Name { get; set; } = "";
    public string[] Channels { get; set; } = [];
    public Dictionary<string, string> Settings { get; set; } = [];
    public string ProtectedSecrets { get; set; } = "";
    public string[] SecretNames { get; set; } = [];
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }
    public Actor CreatedBy { get; set; } = Actor.System("unknown");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsEnabled => DisabledAt is null;

    public static Connection Create(ChannelConnected connected) => new()
    {
        Id = connected.ConnectionId,
        Provider = connected.Provider,
        Name = connected.Name,
        Channels = connected.Channels,
        Settings = connected.Settings,
        ProtectedSecrets = connected.ProtectedSecrets,
        SecretNames = connected.SecretNames,
        CreatedBy = connected.By,
        CreatedAt = connected.At,
        UpdatedAt = connected.At,
    };

    public void Apply(ChannelConnectionUpdated updated)
    {
        Name = updated.Name;
        Channels = updated.Channels;
        Settings = updated.Settings;
        ProtectedSecrets = updated.ProtectedSecrets;
        SecretNames = updated.SecretNames;
        UpdatedAt = updated.At;
    }

    public void Apply(ChannelConnectionDisabled disabled)
    {
        DisabledAt = disabled.At;
        DisabledReason = disabled.Reason;
        UpdatedAt = disabled.At;
    }

    public void Apply(ChannelConnectionEnabled enabled)
    {
        DisabledAt = null;
        DisabledReason = null;
        UpdatedAt = enabled.At;
    }

    /// <summary>The snapshot goes; the stream stays, for the audit trail.</summary>
    public bool ShouldDelete(ChannelConnectionDeleted deleted) => true;
}
