using System.Text.Json;

namespace AwaitHuman.Connectors.SendGrid.Events;

/// <summary>
/// Event Webhook events as delivery reports. processed: SendGrid took the email into delivery
/// (sent); deferred: the receiving server said "later" and SendGrid keeps trying (no change);
/// delivered; open and click: read; bounce, dropped: failed with SendGrid's reason; spamreport:
/// failed, noting that SendGrid will suppress further email to the address (treat it as an opt-out).
/// Other events (unsubscribes, account events) report nothing.
/// </summary>
public static class SendGridEvents
{
    public const string SpamReportMessage =
        "The customer marked this email as spam: SendGrid will not send them email again. Treat it as an opt-out and use email only if they ask.";

    /// <summary>The reports in one Event Webhook batch (a JSON array), skipping events that report no state.</summary>
    public static IReadOnlyList<DeliveryReport> Read(JsonElement batch, string inboundDomain)
    {
        if (batch.ValueKind != JsonValueKind.Array)
            throw new JsonException("An Event Webhook batch is a JSON array.");
        var reports = new List<DeliveryReport>();
        foreach (var item in batch.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && ReportOf(item, inboundDomain) is { } report)
                reports.Add(report);
        }
        return reports;
    }

    public static DeliveryReport? ReportOf(JsonElement e, string inboundDomain)
    {
        var kind = Text(e, "event");
        var (state, code, error) = kind switch
        {
            "processed" => (DeliveryStates.Sent, null, null),
            "delivered" => (DeliveryStates.Delivered, null, null),
            "open" or "click" => (DeliveryStates.Read, null, null),
            "bounce" => (DeliveryStates.Failed, Text(e, "type") is "blocked" ? "blocked" : "bounce", Describe(Text(e, "status"), Text(e, "reason"))),
            "dropped" => (DeliveryStates.Failed, "dropped", Text(e, "reason")),
            "spamreport" => (DeliveryStates.Failed, "spamreport", SpamReportMessage),
            _ => ((string?)null, (string?)null, (string?)null),
        };
        if (state is null)
            return null;

        var messageId = Guid.TryParse(Text(e, CustomArgs.MessageId), out var id) ? id : (Guid?)null;
        var sendGridMessageId = Text(e, "sg_message_id");
        // Our Message-ID, as the send reported it: SendGrid echoes it in smtp-id (not on engagement
        // events, where the custom argument rebuilds it).
        var providerMessageId = EmailThreading.IdsIn(Text(e, "smtp-id")).FirstOrDefault()
            ?? (messageId is { } ours ? EmailThreading.MessageIdFor(ours, inboundDomain) : null)
            ?? sendGridMessageId
            ?? "";
        var at = e.TryGetProperty("timestamp", out var t) && t.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
        var eventId = Text(e, "sg_event_id") ?? $"{sendGridMessageId ?? providerMessageId}:{kind}:{at.ToUnixTimeSeconds()}";
        return new DeliveryReport(eventId, providerMessageId, messageId, state, at, code, error);
    }

    private static string? Describe(string? status, string? reason) =>
        (status, reason) switch
        {
            (null, null) => null,
            (null, _) => reason,
            (_, null) => status,
            _ => $"{status} {reason}",
        };

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
