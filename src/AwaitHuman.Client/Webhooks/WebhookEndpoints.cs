namespace AwaitHuman.Client.Webhooks;

/// <summary>A URL registering for the tenant's events (<c>POST /v1/webhook-endpoints</c>).</summary>
public sealed record NewWebhookEndpoint
{
    /// <summary>Where the events are posted: https, on a public address.</summary>
    public required Uri Url { get; init; }

    /// <summary><c>["*"]</c> for every type (also later ones), or names such as <c>escalation.resolved</c>.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }

    /// <summary>A note for the people managing it.</summary>
    public string? Description { get; init; }
}

/// <summary>Changes to an endpoint; what is left null stays as it is, an empty description removes it.</summary>
public sealed record WebhookEndpointChanges
{
    /// <summary>A new address.</summary>
    public Uri? Url { get; init; }

    /// <summary>New event types.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>A new description; empty removes it.</summary>
    public string? Description { get; init; }
}

/// <summary>Whether an endpoint receives deliveries.</summary>
public enum WebhookEndpointStatus
{
    /// <summary>A value this version of the client does not know.</summary>
    Unknown,

    /// <summary>Deliveries are sent.</summary>
    Enabled,

    /// <summary>Nothing is sent until it is enabled again.</summary>
    Disabled,
}

/// <summary>A webhook endpoint as the API shows it: never its secret.</summary>
public sealed record WebhookEndpoint
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>Where events are posted.</summary>
    public Uri Url { get; init; } = null!;

    /// <summary>The note for the people managing it.</summary>
    public string? Description { get; init; }

    /// <summary>The event types it receives.</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Enabled or disabled.</summary>
    public WebhookEndpointStatus Status { get; init; }

    /// <summary>Why it was disabled (by a person, or by AwaitHuman after failing deliveries).</summary>
    public string? DisabledReason { get; init; }

    /// <summary>When it was disabled.</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>The last characters of the secret, to tell secrets apart.</summary>
    public string SecretHint { get; init; } = "";

    /// <summary>Until when the secret before the last rotation still signs beside the new one.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>Who registered it.</summary>
    public Actor? CreatedBy { get; init; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The answer to a create or a rotation: the only time the signing secret is shown.</summary>
public sealed record WebhookEndpointWithSecret
{
    /// <summary>Its id.</summary>
    public Guid Id { get; init; }

    /// <summary>Where events are posted.</summary>
    public Uri Url { get; init; } = null!;

    /// <summary>The note for the people managing it.</summary>
    public string? Description { get; init; }

    /// <summary>The event types it receives.</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Enabled or disabled.</summary>
    public WebhookEndpointStatus Status { get; init; }

    /// <summary>The last characters of the secret.</summary>
    public string SecretHint { get; init; } = "";

    /// <summary>Until when the previous secret still signs beside this one.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The signing secret, <c>whsec_...</c>: keep it for <see cref="WebhookVerifier"/>; it is not shown again.</summary>
    public string Secret { get; init; } = "";
}

/// <summary>The answer to a test send: the delivery to look for in the endpoint's delivery log.</summary>
public sealed record WebhookTestSent
{
    /// <summary>The delivery's id (its <c>webhook-id</c>).</summary>
    public string DeliveryId { get; init; } = "";
}
