namespace AwaitHuman.Connectors;

/// <summary>
/// One message from an operator to the customer.
/// </summary>
/// <param name="MessageId">Ours, stable across retries of the same message: put it on the provider request where it has a field.</param>
/// <param name="To">The customer's address on <paramref name="Channel"/>: E.164 phone, email address, web chat visitor id.</param>
/// <param name="Text">The text; null when a <paramref name="Template"/> is sent instead.</param>
/// <param name="Thread">The conversation so far on this channel, for email threading.</param>
/// <param name="From">The operator's display name, for providers that show a sender name (email); the sending address is the connection's.</param>
public sealed record OutboundMessage(
    Guid MessageId,
    Guid EscalationId,
    string Channel,
    string To,
    string? CustomerName,
    string? Text,
    MessageTemplate? Template,
    ConversationThread Thread,
    string From);

/// <summary>A pre-approved template (WhatsApp outside the 24-hour window): Twilio's Content SID and its variables.</summary>
public sealed record MessageTemplate(string ContentSid, IReadOnlyDictionary<string, string> Variables);

/// <param name="Subject">The conversation's subject (the escalation's summary) for email.</param>
/// <param name="ProviderMessageIds">
/// Provider ids of earlier messages in both directions, oldest first (email Message-IDs for In-Reply-To
/// and References); filled only for channels whose capabilities say they thread replies.
/// </param>
/// <param name="ReplyAddress">Where the customer's answer must go to reach this escalation (email: a per-escalation address on the tenant's inbound domain).</param>
public sealed record ConversationThread(string? Subject, IReadOnlyList<string> ProviderMessageIds, string? ReplyAddress);

/// <summary>What became of a send.</summary>
public abstract record SendOutcome
{
    /// <summary>The provider took the message; its id is how status callbacks refer to it.</summary>
    /// <param name="State">Usually <see cref="DeliveryStates.Queued"/> or <see cref="DeliveryStates.Sent"/>.</param>
    public sealed record Accepted(string ProviderMessageId, string State, TextMeasure? Measure = null) : SendOutcome;

    /// <summary>Try again later (429, 5xx, timeouts); <paramref name="RetryAfter"/> is the provider's wish when it said one.</summary>
    public sealed record RetryLater(string Error, TimeSpan? RetryAfter = null) : SendOutcome;

    /// <summary>The provider refused for good (invalid number, opted out, ...).</summary>
    /// <param name="Suggestion">What an operator can do instead, e.g. "Send by email: this number cannot receive SMS."</param>
    public sealed record Failed(string ErrorCode, string Error, string? Suggestion = null) : SendOutcome;
}

/// <summary>
/// Delivery states as providers report them. Callbacks can arrive out of order (delivered before
/// sent), so a state only replaces one of a lower <see cref="Rank"/>.
/// </summary>
public static class DeliveryStates
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";
    public const string Undelivered = "undelivered";

    public static readonly IReadOnlyList<string> All = [Queued, Sent, Delivered, Read, Failed, Undelivered];

    /// <summary>Later states rank higher; a failure after delivery (rare) does not undo it.</summary>
    public static int Rank(string state) => state switch
    {
        Queued => 1,
        Sent => 2,
        Failed or Undelivered => 3,
        Delivered => 4,
        Read => 5,
        _ => 0,
    };
}
