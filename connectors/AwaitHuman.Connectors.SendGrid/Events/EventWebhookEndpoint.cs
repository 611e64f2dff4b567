using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.SendGrid.Events;

/// <summary>
/// <c>POST /connectors/sendgrid/{connection}/events</c>: SendGrid's Event Webhook, verified with the
/// connection's Signed Event Webhook public key before anything is read from it; unsigned, wrongly
/// signed or stale posts get 403 and change nothing. Repeated events are dropped by the inbox by
/// <c>sg_event_id</c>.
/// </summary>
public static class EventWebhookEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid connection,
        HttpContext context,
        IChannelInbox inbox,
        IOptions<SendGridOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(EventWebhookEndpoint));
        var settings = options.Value;
        var found = await inbox.FindConnectionAsync(SendGridConnection.Provider, connection, cancellationToken);
        if (found is null)
        {
            logger.LogWarning("Event Webhook post for unknown connection {Connection} refused", connection);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        if (context.Request.ContentLength > settings.MaxEventBatchBytes)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var body = await ReadBodyAsync(context.Request.Body, settings.MaxEventBatchBytes, cancellationToken);
        if (body is null)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var check = EventWebhookSignature.Check(
            found.OptionalSetting(SendGridConnection.EventWebhookPublicKey),
            context.Request.Headers[EventWebhookSignature.SignatureHeader].ToString(),
            context.Request.Headers[EventWebhookSignature.TimestampHeader].ToString(),
            body,
            time.GetUtcNow(),
            settings.EventTimestampTolerance);
        if (check != SignatureCheck.Valid)
        {
            logger.LogWarning("Event Webhook post for connection {Connection} refused: {Check}", connection, check);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        IReadOnlyList<DeliveryReport> reports;
        try
        {
            using var json = JsonDocument.Parse(body);
            reports = SendGridEvents.Read(json.RootElement, found.Setting(SendGridConnection.InboundDomain));
        }
        catch (JsonException e)
        {
            return Results.Problem($"The Event Webhook body is not a JSON array of events: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        // One by one: if one fails, SendGrid retries the batch and the ones already taken are dropped as duplicates.
        foreach (var report in reports)
            await inbox.ReportAsync(found, report, cancellationToken);
        return Results.Ok();
    }

    private static async Task<byte[]?> ReadBodyAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
