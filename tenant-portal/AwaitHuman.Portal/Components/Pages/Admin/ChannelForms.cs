using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Connections;

namespace AwaitHuman.Portal.Components.Pages.Admin;

/// <summary>
/// One way to connect a channel as the channels page offers it: a connector and the channels it
/// serves (Twilio is one connector, offered as an SMS and a WhatsApp form).
/// </summary>
/// <param name="HiddenSettings">Settings of the connector that mean nothing for these channels.</param>
sealed record ChannelKind(string Key, string Label, string Provider, string[] Channels, string[] HiddenSettings, string Hint)
{
    public static readonly IReadOnlyList<ChannelKind> All =
    [
        new("twilio-sms", "Twilio SMS", "twilio", [ChannelKinds.Sms], ["whatsapp_from"],
            "Text messages through your Twilio account: a phone number or a Messaging Service."),
        new("twilio-whatsapp", "Twilio WhatsApp", "twilio", [ChannelKinds.WhatsApp], ["from"],
            "WhatsApp through your Twilio account: a WhatsApp-enabled sender or a Messaging Service with one."),
        new("sendgrid", "SendGrid email", "sendgrid", [ChannelKinds.Email], [],
            "Email through SendGrid: replies go out from your sender, customers answer through Inbound Parse."),
        new("webchat", "Web chat", "webchat", [ChannelKinds.WebChat], [],
            "A chat widget on your own site; no provider account needed."),
        new("agent-relay", "Agent relay", "agent_relay", [ChannelKinds.Agent], [],
            "Operators' messages go to your agent's webhook, and the agent passes them on in its own channel."),
    ];

    /// <summary>The kind a connection was made as, by its provider and channels.</summary>
    public static ChannelKind? Of(ChannelConnectionView connection) =>
        All.FirstOrDefault(kind => kind.Provider == connection.Provider && kind.Channels.SequenceEqual(connection.Channels))
        ?? All.FirstOrDefault(kind => kind.Provider == connection.Provider && kind.Channels.All(connection.Channels.Contains));

    /// <summary>Field names as people know them from the provider's console.</summary>
    public static string FieldLabel(string field) => field switch
    {
        "account_sid" => "Account SID",
        "from" => "From number",
        "messaging_service_sid" => "Messaging Service SID",
        "whatsapp_from" => "WhatsApp sender number",
        "auth_token" => "Auth token",
        "api_key_sid" => "API key SID",
        "api_key_secret" => "API key secret",
        "from_email" => "From email",
        "from_name" => "From name",
        "inbound_domain" => "Inbound domain",
        "event_webhook_public_key" => "Event Webhook verification key",
        "api_key" => "API key",
        "inbound_parse_password" => "Inbound Parse password",
        "reply_address_key" => "Reply address key",
        "allowed_origins" => "Allowed origins",
        "signing_secret" => "Signing secret",
        _ => char.ToUpperInvariant(field[0]) + field[1..].Replace('_', ' '),
    };

    /// <summary>The one tag a site pastes to show the widget; its backend puts a visitor's session token in.</summary>
    public static string Snippet(Uri publicBaseUrl, Guid connectionId) =>
        $"""<script src="{publicBaseUrl}connectors/webchat/widget.js" data-connection="{connectionId}" data-token="SESSION_TOKEN_FROM_YOUR_BACKEND" data-title="Talk to us" data-open="true"></script>""";

    /// <summary>Where each webhook address goes in the provider's console.</summary>
    public static string WebhookHint(string provider, string path) => (provider, path) switch
    {
        ("twilio", "inbound") => "Twilio console, the number (or Messaging Service): “A message comes in”, HTTP POST.",
        ("sendgrid", "inbound") => "SendGrid Inbound Parse, as https://sendgrid:<Inbound Parse password>@… (the password you set here).",
        ("sendgrid", "events") => "SendGrid Mail Settings, Event Webhook: HTTP POST URL, with signed events on.",
        _ => "Paste it where the provider asks for a webhook address.",
    };
}

/// <summary>A connection's name, settings and new secrets as typed into a form; secrets start empty and are never filled from what is stored.</summary>
sealed class ConnectionDraft
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Settings { get; } = [];
    public Dictionary<string, string> Secrets { get; } = [];
    public IReadOnlyDictionary<string, string[]>? Errors { get; set; }

    public static ConnectionDraft Of(ChannelConnectionView connection)
    {
        var draft = new ConnectionDraft { Name = connection.Name };
        foreach (var (name, value) in connection.Settings) draft.Settings[name] = value;
        return draft;
    }

    public string Setting(string name) => Settings.GetValueOrDefault(name) ?? "";
    public string Secret(string name) => Secrets.GetValueOrDefault(name) ?? "";

    /// <summary>The filled-in settings: an empty box is a setting left out.</summary>
    public Dictionary<string, string> FilledSettings(IEnumerable<ConnectionField> shown) =>
        shown.Where(field => !string.IsNullOrWhiteSpace(Setting(field.Name))).ToDictionary(field => field.Name, field => Setting(field.Name).Trim());

    public Dictionary<string, string> FilledSecrets() =>
        Secrets.Where(pair => !string.IsNullOrEmpty(pair.Value)).ToDictionary(pair => pair.Key, pair => pair.Value.Trim());

    /// <summary>Forgets the secrets typed, once saved or abandoned, so they leave the page.</summary>
    public void ForgetSecrets() => Secrets.Clear();
}
