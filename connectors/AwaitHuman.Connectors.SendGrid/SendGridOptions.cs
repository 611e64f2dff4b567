namespace AwaitHuman.Connectors.SendGrid;

/// <summary>Platform-wide SendGrid settings (<c>Connectors:SendGrid</c>); per-tenant ones are connection settings.</summary>
public sealed class SendGridOptions
{
    public const string Section = "Connectors:SendGrid";

    /// <summary>Mail Send API host; tests point it at a fake on loopback.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.sendgrid.com";

    /// <summary>How long one Mail Send call may take before the send is retried later.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far an Event Webhook timestamp may be from now (either way) before the request is
    /// treated as a replay. Repeats inside the window are dropped by <c>sg_event_id</c>.
    /// </summary>
    public TimeSpan EventTimestampTolerance { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Largest attachment kept from an inbound email; larger ones are named in the text instead.</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most attachment bytes kept from one inbound email; the ones past it are named in the text instead.</summary>
    public long MaxTotalAttachmentBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>
    /// Largest Inbound Parse request read (SendGrid caps an inbound email at 30 MB, and the form
    /// encoding adds some); larger requests are refused with 413.
    /// </summary>
    public long MaxInboundRequestBytes { get; set; } = 40 * 1024 * 1024;

    /// <summary>Largest Event Webhook batch read.</summary>
    public long MaxEventBatchBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The installation's own SendGrid account for account mail; unset, that mail stays in the sandbox.</summary>
    public PlatformMailSettings PlatformMail { get; set; } = new();
}

/// <summary><c>Connectors:SendGrid:PlatformMail</c>: the API key and sender of the platform's own mail.</summary>
public sealed class PlatformMailSettings
{
    /// <summary>Needs the Mail Send permission.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A verified sender (Sender Identity or authenticated domain) of that account.</summary>
    public string? FromEmail { get; set; }

    public string FromName { get; set; } = "AwaitHuman";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(FromEmail);
}
