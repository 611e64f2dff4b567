using AwaitHuman.Core.Security;

namespace AwaitHuman.Core.Webhooks;

public sealed record WebhookEndpointCreated(
    Guid EndpointId, string Url, string[] EventTypes, string? Description, string ProtectedSecret, string SecretHint, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "webhook_endpoint.created";
    public string AuditSubject => $"{Url} for {string.Join(", ", EventTypes)}";
}

public sealed record WebhookEndpointUpdated(Guid EndpointId, string Url, string[] EventTypes, string? Description, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "webhook_endpoint.updated";
    public string AuditSubject => $"{Url} for {string.Join(", ", EventTypes)}";
}

/// <summary>The current secret becomes the previous one, which keeps signing until <paramref name="PreviousSecretExpiresAt"/>.</summary>
public sealed record WebhookSecretRotated(Guid EndpointId, string ProtectedSecret, string SecretHint, DateTimeOffset PreviousSecretExpiresAt, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "webhook_endpoint.secret_rotated";
    public string AuditSubject => $"{SecretHint}, the previous secret signs until {PreviousSecretExpiresAt:u}";
}

/// <summary>By a caller, or by the system after deliveries kept failing.</summary>
public sealed record WebhookEndpointDisabled(Guid EndpointId, string Reason, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "webhook_endpoint.disabled";
    public string AuditSubject => Reason;
}

public sealed record WebhookEndpointEnabled(Guid EndpointId, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "webhook_endpoint.enabled";
    public string AuditSubject => EndpointId.ToString();
}

public sealed record WebhookEndpointDeleted(Guid EndpointId, string Url, Actor By, DateTimeOffset At) : ISecurityEvent
{
    public string AuditAction => "webhook_endpoint.deleted";
    public string AuditSubject => Url;
}

/// <summary>
/// Where a tenant's agent wants events. The snapshot of its stream; secrets are kept only as Data
/// Protection ciphertext and never leave the server again after the answer that showed them.
/// </summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }
    public string Url { get; set; } = "";
    public string[] EventTypes { get; set; } = [];
    public string? Description { get; set; }
    public string ProtectedSecret { get; set; } = "";
    public string SecretHint { get; set; } = "";
    public string? PreviousProtectedSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }
    public Actor CreatedBy { get; set; } = Actor.System("unknown");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsEnabled => DisabledAt is null;

    public bool Subscribes(string eventType) => EventTypes.Contains(WebhookEventTypes.All) || EventTypes.Contains(eventType);

    /// <summary>An endpoint gets what happened after it was registered, however late the event is published.</summary>
    public bool Receives(string eventType, DateTimeOffset at) => Subscribes(eventType) && CreatedAt <= at;

    /// <summary>The secrets to sign with at <paramref name="now"/>: the current one, then the previous one during its overlap.</summary>
    public string[] ProtectedSecretsAt(DateTimeOffset now) =>
        PreviousProtectedSecret is not null && PreviousSecretExpiresAt > now ? [ProtectedSecret, PreviousProtectedSecret] : [ProtectedSecret];

    public static WebhookEndpoint Create(WebhookEndpointCreated created) => new()
    {
        Id = created.EndpointId,
        Url = created.Url,
        EventTypes = created.EventTypes,
        Description = created.Description,
        ProtectedSecret = created.ProtectedSecret,
        SecretHint = created.SecretHint,
        CreatedBy = created.By,
        CreatedAt = created.At,
        UpdatedAt = created.At,
    };

    public void Apply(WebhookEndpointUpdated updated)
    {
        Url = updated.Url;
        EventTypes = updated.EventTypes;
        Description = updated.Description;
        UpdatedAt = updated.At;
    }

    public void Apply(WebhookSecretRotated rotated)
    {
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretExpiresAt = rotated.PreviousSecretExpiresAt;
        ProtectedSecret = rotated.ProtectedSecret;
        SecretHint = rotated.SecretHint;
        UpdatedAt = rotated.At;
    }

    public void Apply(WebhookEndpointDisabled disabled)
    {
        DisabledAt = disabled.At;
        DisabledReason = disabled.Reason;
        UpdatedAt = disabled.At;
    }

    public void Apply(WebhookEndpointEnabled enabled)
    {
        DisabledAt = null;
        DisabledReason = null;
        UpdatedAt = enabled.At;
    }

    /// <summary>The snapshot goes; the stream stays, for the audit trail.</summary>
    public bool ShouldDelete(WebhookEndpointDeleted deleted) => true;
}
