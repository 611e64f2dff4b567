namespace AwaitHuman.Core.Webhooks;

/// <summary>Settings of outbound webhooks, bound from the <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Lets endpoints use plain http and addresses on loopback, link-local and private networks.
    /// On in Development (and so in tests, whose fake agents listen on 127.0.0.1); off anywhere else,
    /// where it would let a tenant reach the platform's own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// The wait before each retry after a failed attempt; one retry per entry, then the delivery has failed.
    /// The default spreads 11 attempts over just under 3 days.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(14),
        TimeSpan.FromHours(20), TimeSpan.FromHours(20),
    ];

    /// <summary>How long one attempt may take, connecting included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a rotated-out secret still signs, unless the rotation says otherwise.</summary>
    public TimeSpan DefaultSecretOverlap { get; set; } = TimeSpan.FromHours(24);
}
