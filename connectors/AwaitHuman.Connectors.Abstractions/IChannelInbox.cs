namespace AwaitHuman.Connectors;

/// <summary>
/// The core's side of inbound traffic, for connectors' webhook handlers: find the connection a
/// webhook is for (to check its signature), then hand over what the provider said. The core
/// processes each provider event once (by <see cref="InboundMessage.ProviderMessageId"/> or
/// <see cref="DeliveryReport.ProviderEventId"/>), keeping those ids at least 8 days.
/// </summary>
public interface IChannelInbox
{
    /// <summary>The active connection with this id of this provider, in whichever tenant it is; null when unknown or disabled.</summary>
    Task<ChannelConnection?> FindConnectionAsync(string provider, Guid connectionId, CancellationToken cancellationToken);

    /// <summary>A customer's message: appended to the escalation it answers, or refused with <see cref="InboundResult.NoEscalation"/>.</summary>
    Task<InboundResult> ReceiveAsync(ChannelConnection connection, InboundMessage message, CancellationToken cancellationToken);

    /// <summary>A delivery status of a message we sent.</summary>
    Task<InboundResult> ReportAsync(ChannelConnection connection, DeliveryReport report, CancellationToken cancellationToken);
}

/// <param name="ProviderMessageId">Unique per provider message (Twilio MessageSid, email Message-ID); duplicates are dropped.</param>
/// <param name="From">The customer's address on <paramref name="Channel"/>, normalised (E.164 without <c>whatsapp:</c>, lower-case email).</param>
/// <param name="EscalationId">When the message names its escalation (a per-escalation email address, a web chat session); otherwise the customer's open escalation on this connection is found by <paramref name="From"/>.</param>
/// <param name="Html">Sanitised HTML for display, when the provider sent some.</param>
/// <param name="InReplyTo">Provider ids this message answers (email In-Reply-To and References), to find the escalation.</param>
/// <param name="Consent"><see cref="ConsentChanges.OptOut"/> or <see cref="ConsentChanges.OptIn"/> when the message is a STOP or START keyword.</param>
public sealed record InboundMessage(
    string ProviderMessageId,
    string Channel,
    string From,
    string? FromName,
    string Text,
    DateTimeOffset At,
    Guid? EscalationId = null,
    string? Html = null,
    IReadOnlyList<string>? InReplyTo = null,
    IReadOnlyList<InboundAttachment>? Attachments = null,
    string? Consent = null);

/// <summary>A file the customer sent, already checked against the connector's size limits.</summary>
public sealed record InboundAttachment(string FileName, string ContentType, byte[] Content);

public static class ConsentChanges
{
    public const string OptOut = "opt_out";
    public const string OptIn = "opt_in";
}

/// <param name="ProviderEventId">Unique per callback, so a repeated callback is dropped (e.g. MessageSid + status).</param>
/// <param name="MessageId">Ours, when the provider echoes it back (a status callback URL or custom argument carries it).</param>
/// <param name="State">One of <see cref="DeliveryStates"/>.</param>
public sealed record DeliveryReport(
    string ProviderEventId,
    string ProviderMessageId,
    Guid? MessageId,
    string State,
    DateTimeOffset At,
    string? ErrorCode = null,
    string? ErrorMessage = null);

public enum InboundResult
{
    /// <summary>Stored; answer the provider 2xx.</summary>
    Accepted,
    /// <summary>Seen before and ignored; answer 2xx so the provider stops retrying.</summary>
    Duplicate,
    /// <summary>No open escalation takes it (or an unknown message for a status); answer 2xx, nothing stored.</summary>
    NoEscalation,
}
