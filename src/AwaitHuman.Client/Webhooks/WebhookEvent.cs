using System.Text.Json;

namespace AwaitHuman.Client.Webhooks;

/// <summary>
/// A verified webhook event, as Standard Webhooks shapes it: <c>{"type", "timestamp", "data"}</c>,
/// where <c>data</c> holds the escalation's id and the event's fields.
/// </summary>
public sealed class WebhookEvent
{
    WebhookEvent(string id, DateTimeOffset sentAt, string type, DateTimeOffset? timestamp, JsonElement data)
    {
        Id = id;
        SentAt = sentAt;
        Type = type;
        Timestamp = timestamp;
        Data = data;
    }

    /// <summary>The delivery's <c>webhook-id</c>: the same on every retry, so use it to process each event once.</summary>
    public string Id { get; }

    /// <summary>When this attempt was sent (<c>webhook-timestamp</c>).</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>The event type, e.g. <c>escalation.resolved</c>.</summary>
    public string Type { get; }

    /// <summary>When the event happened, if the payload says.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>The event's fields, as sent (snake_case).</summary>
    public JsonElement Data { get; }

    /// <summary>The escalation the event is about, if it names one.</summary>
    public Guid? EscalationId =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("escalation_id", out var id) && id.TryGetGuid(out var guid) ? guid : null;

    /// <summary>The hand-back, carried by <c>escalation.resolved</c>, <c>.approval_decided</c>, <c>.cancelled</c> and <c>.timed_out</c>; null for others.</summary>
    public HandBack? HandBack =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("hand_back", out var handBack) && handBack.ValueKind == JsonValueKind.Object
            ? handBack.Deserialize<HandBack>(AwaitHumanJson.Options)
            : null;

    /// <summary>Reads <see cref="Data"/> as <typeparamref name="T"/> with the API's JSON conventions.</summary>
    public T? DataAs<T>() => Data.Deserialize<T>(AwaitHumanJson.Options);

    internal static WebhookEvent Parse(string id, DateTimeOffset sentAt, ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                throw new WebhookVerificationException(WebhookVerificationFailure.InvalidPayload, "The body is not an event: it has no \"type\".");
            DateTimeOffset? timestamp = root.TryGetProperty("timestamp", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var parsed)
                ? parsed
                : null;
            var data = root.TryGetProperty("data", out var payload) ? payload.Clone() : default;
            return new WebhookEvent(id, sentAt, type.GetString()!, timestamp, data);
        }
        catch (JsonException exception)
        {
            throw new WebhookVerificationException(WebhookVerificationFailure.InvalidPayload, "The body is not JSON.", exception);
        }
    }
}
