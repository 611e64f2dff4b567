namespace AwaitHuman.Client.Webhooks;

/// <summary>Why a webhook delivery was refused.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>One of <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c> is missing.</summary>
    MissingHeader,
    /// <summary><c>webhook-timestamp</c> is not Unix seconds.</summary>
    InvalidTimestamp,
    /// <summary>The timestamp is too far from now: a replay, or a badly wrong clock.</summary>
    TimestampOutOfTolerance,
    /// <summary>No signature matches: another secret, or a changed body.</summary>
    NoMatchingSignature,
    /// <summary>Correctly signed, but the body is not an event.</summary>
    InvalidPayload,
}

/// <summary>A webhook delivery failed verification: do not act on it.</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>A refusal for <paramref name="failure"/>.</summary>
    public WebhookVerificationException(WebhookVerificationFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    /// <summary>Why it was refused.</summary>
    public WebhookVerificationFailure Failure { get; }
}
