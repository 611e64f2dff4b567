namespace AwaitHuman.Connectors;

/// <summary>
/// One provider's way of reaching customers (Twilio for SMS and WhatsApp, SendGrid for email, ...).
/// A tenant connects it with settings and secrets (a <see cref="ChannelConnection"/>); the core picks
/// the connection for the customer's channel, and calls <see cref="SendAsync"/> from a durable
/// message handler, so a send may be retried after a crash: pass <see cref="OutboundMessage.MessageId"/>
/// to the provider wherever it has a field for it, so duplicates can be recognised.
/// </summary>
public interface IChannelConnector
{
    /// <summary>The name connections are created with and provider webhooks are routed by, e.g. <c>twilio</c>.</summary>
    string Provider { get; }

    /// <summary>The <see cref="ChannelKinds"/> this provider reaches.</summary>
    IReadOnlyList<string> Channels { get; }

    /// <summary>The settings and secrets a connection of this provider needs, for validation and documentation.</summary>
    ConnectionSchema Schema { get; }

    /// <summary>What a message on <paramref name="channel"/> can carry, checked before a reply is accepted.</summary>
    ChannelCapabilities CapabilitiesOf(string channel);

    /// <summary>How <paramref name="text"/> will go out on <paramref name="channel"/> (segments and encoding for SMS).</summary>
    TextMeasure Measure(string channel, string text) => new(text.Length, Segments: 1, Encoding: null);

    /// <summary>
    /// Problems with a connection's settings beyond the schema's required fields (formats, a Messaging
    /// Service SID or a number, ...), keyed by the field they concern, e.g. <c>settings.from</c>.
    /// </summary>
    IReadOnlyDictionary<string, string> Validate(ChannelConnection connection) => new Dictionary<string, string>();

    /// <summary>
    /// Hands one message to the provider. Never throws for provider answers: a 429 or 5xx is
    /// <see cref="SendOutcome.RetryLater"/> (with the provider's <c>Retry-After</c>), a permanent refusal
    /// is <see cref="SendOutcome.Failed"/>; exceptions are treated as transient.
    /// </summary>
    Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken);
}

/// <summary>The customer channels the platform knows; values of the escalation's <c>preferred_channel</c>.</summary>
public static class ChannelKinds
{
    public const string WhatsApp = "whatsapp";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string WebChat = "webchat";
    /// <summary>The agent owns the customer's channel: operator messages go to the agent's webhook to relay.</summary>
    public const string Agent = "agent";

    public static readonly IReadOnlyList<string> All = [WhatsApp, Sms, Email, WebChat, Agent];
}

/// <param name="MaxTextLength">Longest text the provider accepts in one message.</param>
/// <param name="SupportsMedia">Whether attachments can be sent.</param>
/// <param name="SupportsTemplates">Whether pre-approved templates can be sent (WhatsApp Content SIDs).</param>
/// <param name="MessagingWindow">
/// How long after the customer's last message free-form text may be sent (WhatsApp: 24 hours);
/// null when there is no window. Outside it only a template goes out.
/// </param>
/// <param name="HonoursOptOut">Whether customers opt out with STOP and back in with START.</param>
/// <param name="ThreadsReplies">
/// Whether a send threads on the conversation's earlier messages (email's In-Reply-To and References)
/// and so needs <see cref="ConversationThread.ProviderMessageIds"/>; other channels get an empty list,
/// which spares every send a read that grows with the conversation.
/// </param>
public sealed record ChannelCapabilities(
    int MaxTextLength,
    bool SupportsMedia = false,
    bool SupportsTemplates = false,
    TimeSpan? MessagingWindow = null,
    bool HonoursOptOut = false,
    bool ThreadsReplies = false);

/// <param name="Characters">Length as the provider counts it.</param>
/// <param name="Segments">Messages the customer receives (SMS concatenation), 1 elsewhere.</param>
/// <param name="Encoding"><c>GSM-7</c> or <c>UCS-2</c> for SMS; null where it does not matter.</param>
public sealed record TextMeasure(int Characters, int Segments, string? Encoding);

/// <summary>The named settings (shown back) and secrets (encrypted, never shown) a connection needs.</summary>
/// <param name="Webhooks">
/// The webhook paths the provider must be told about, relative to the connection (e.g. <c>inbound</c>,
/// <c>status</c>); the API shows their full URLs after creation so an admin can paste them.
/// </param>
public sealed record ConnectionSchema(IReadOnlyList<ConnectionField> Settings, IReadOnlyList<ConnectionField> Secrets, IReadOnlyList<string>? Webhooks = null);

/// <param name="Name">snake_case key, e.g. <c>account_sid</c>.</param>
/// <param name="Required">Whether a connection without it is refused.</param>
public sealed record ConnectionField(string Name, string Description, bool Required = true);
