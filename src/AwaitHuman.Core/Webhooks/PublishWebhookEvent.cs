using System.Text.Json;
using Marten;
using Wolverine;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// The way into webhooks: publish it for a tenant (Wolverine carries the tenant id) and each of that
/// tenant's enabled endpoints subscribed to <paramref name="Type"/>, registered before <paramref name="At"/>, gets a delivery.
/// <see cref="WebhookEventFeed"/> publishes the escalation events; <paramref name="Data"/> is the
/// event's public payload, already in the API's JSON shape (snake_case).
/// </summary>
/// <param name="Sequence">
/// The event's number within its escalation (the stream version, as the event stream's ids):
/// deliveries are concurrent and retried, so receivers order one escalation's events by it.
/// </param>
public sealed record PublishWebhookEvent(string Type, Guid? EscalationId, DateTimeOffset At, JsonElement Data, long? Sequence = null);

/// <summary>
/// Delivers <see cref="WebhookDelivery"/> documents one attempt at a time. Sent through Wolverine's
/// durable local queue, so it survives restarts; <paramref name="Series"/> lets a manual redelivery
/// supersede a retry already scheduled.
/// </summary>
public sealed record DeliverWebhook(string DeliveryId, int Series);

public static class PublishWebhookEventHandler
{
    public static async Task<OutgoingMessages> Handle(PublishWebhookEvent published, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        var endpoints = await session.Query<WebhookEndpoint>().Where(endpoint => endpoint.DisabledAt == null).ToListAsync(ct);
        var subscribed = endpoints.Where(endpoint => endpoint.Receives(published.Type, published.At)).ToList();
        if (subscribed.Count == 0) return messages;

        var body = WebhookDelivery.Envelope(published.Type, published.At, published.Data, published.Sequence);
        var now = clock.GetUtcNow();
        foreach (var endpoint in subscribed)
        {
            var delivery = WebhookDelivery.For(endpoint.Id, published.Type, published.EscalationId, body, now);
            session.Insert(delivery);
            messages.Add(new DeliverWebhook(delivery.Id, delivery.Series));
        }
        return messages;
    }
}
