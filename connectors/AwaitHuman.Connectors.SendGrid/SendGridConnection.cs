namespace AwaitHuman.Connectors.SendGrid;

/// <summary>The names of a SendGrid connection's settings and secrets, and what they mean.</summary>
public static class SendGridConnection
{
    public const string Provider = "sendgrid";

    public const string FromEmail = "from_email";
    public const string FromName = "from_name";
    public const string InboundDomain = "inbound_domain";
    public const string EventWebhookPublicKey = "event_webhook_public_key";

    public const string ApiKey = "api_key";
    public const string InboundParsePassword = "inbound_parse_password";
    public const string ReplyAddressKey = "reply_address_key";

    /// <summary>The user name in the Inbound Parse URL; the password is the connection's secret.</summary>
    public const string InboundParseUser = "sendgrid";

    public const int MinSecretLength = 24;

    public static readonly ConnectionSchema Schema = new(
        Settings:
        [
            new(FromEmail, "Sender address: a verified Sender Identity or on an authenticated domain in SendGrid."),
            new(FromName, "Sender name customers see, e.g. \"Acme Support\".", Required: false),
            new(InboundDomain, "Domain (or subdomain) whose MX points at SendGrid Inbound Parse; customers answer to reply+...@ this domain."),
            new(EventWebhookPublicKey, "Signed Event Webhook verification key (base64 DER, from Mail Settings); without it delivery events are refused.", Required: false),
        ],
        Secrets:
        [
            new(ApiKey, "SendGrid API key with the Mail Send permission."),
            new(InboundParsePassword, $"Password in the Inbound Parse URL (https://{InboundParseUser}:PASSWORD@.../inbound); at least {MinSecretLength} characters from A-Z a-z 0-9 - . _ ~."),
            new(ReplyAddressKey, $"Random key (at least {MinSecretLength} characters) that signs the per-escalation reply addresses; changing it invalidates the addresses of ongoing conversations."),
        ],
        Webhooks: [InboundWebhook, EventsWebhook]);

    /// <summary>Inbound Parse posts here (with the basic-auth credentials in the URL).</summary>
    public const string InboundWebhook = "inbound";

    /// <summary>The Event Webhook posts here.</summary>
    public const string EventsWebhook = "events";
}
