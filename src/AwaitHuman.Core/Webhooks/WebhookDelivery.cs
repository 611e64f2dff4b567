using System.Text;
using System.Text.Json;

namespace AwaitHuman.Core.Webhooks;

public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    /// <summary>Every attempt of the retry schedule failed.</summary>
    public const string Failed = "failed";
    /// <summary>The endpoint was disabled or deleted before the delivery got through.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>One try at POSTing a delivery: what came back, or the network error, and how long it took.</summary>
/// <param name="Series">Which series of attempts it belongs to: 1 for the event's own, one more for each manual redelivery.</param>
/// <param name="Trigger"><c>event</c> for the first attempt, <c>retry</c>, <c>redeliver</c> for the first after a manual redelivery.</param>
public sealed record WebhookAttempt(
    int Number, int Series, DateTimeOffset At, string Trigger, int? StatusCode, string? Error, long LatencyMs, string? ResponseExcerpt)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// One event for one endpoint: the message and every attempt to deliver it. Its id is the
/// <c>webhook-id</c> header, the same on every attempt, so agents can drop duplicates.
/// </summary>
public sealed class WebhookDelivery
{
    public const string IdPrefix = "msg_";

    public string Id { get; set; } = "";
    public Guid EndpointId { get; set; }
    public string EventType { get; set; } = "";
    public Guid? EscalationId { get; set; }
    /// <summary>The request body exactly as signed and sent, serialized once.</summary>
    public string Body { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string Status { get; set; } = WebhookDeliveryStatus.Pending;
    /// <summary>Counts the automatic and manual series of attempts; a message for an older series is stale.</summary>
    public int Series { get; set; } = 1;
    public DateTimeOffset SeriesStartedAt { get; set; }

    public int AttemptsInSeries => Attempts.Count(attempt => attempt.Series == Series);
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? CancelledBecause { get; set; }
    public List<WebhookAttempt> Attempts { get; set; } = [];

    public static WebhookDelivery For(Guid endpointId, string eventType, Guid? escalationId, string body, DateTimeOffset now) => new()
    {
        Id = IdPrefix + Guid.CreateVersion7(now).ToString("N"),
        EndpointId = endpointId,
        EventType = eventType,
        EscalationId = escalationId,
        Body = body,
        CreatedAt = now,
        SeriesStartedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>The Standard Webhooks envelope: <c>{ "type", "timestamp", "data" }</c>, the data in the API's snake_case.</summary>
    /// <param name="sequence">The event's number within its escalation; events of no escalation have none.</param>
    public static string Envelope(string eventType, DateTimeOffset at, JsonElement data, long? sequence = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", eventType);
            json.WriteString("timestamp", at.UtcDateTime);
            if (sequence is { } number) json.WriteNumber("sequence", number);
            json.WritePropertyName("data");
            data.WriteTo(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
