namespace AwaitHuman.Connectors.Twilio;

/// <summary>Platform-wide Twilio settings (<c>Connectors:Twilio</c>); tenants' accounts are in their connections.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Connectors:Twilio";

    /// <summary>Where the REST API is; tests point it at a fake on loopback.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>How long one send may take before it counts as a transient failure and the core retries it.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
