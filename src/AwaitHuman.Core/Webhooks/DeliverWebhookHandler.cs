using AwaitHuman.Core.Security;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// One attempt per message. A failed attempt is logged on the delivery and the next one scheduled
/// as a durable message in the same transaction, per <see cref="WebhookOptions.RetryDelays"/>.
/// (Not Wolverine's retry policies: those roll the handler's transaction back, losing the attempt's
/// log, and know nothing of a delivery's end.) After the last attempt the delivery has failed, and
/// an endpoint with no success since that delivery's series began is disabled.
/// </summary>
public static class DeliverWebhookHandler
{
    public static void Configure(HandlerChain chain) =>
        // A redelivery changed the document while this attempt ran; the retry sees the newer series and stops.
        chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task<OutgoingMessages> Handle(
        DeliverWebhook command, IDocumentSession session, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        var delivery = await session.LoadAsync<WebhookDelivery>(command.DeliveryId, ct);
        if (delivery is null || delivery.Series != command.Series || delivery.Status != WebhookDeliveryStatus.Pending) return messages;

        var endpoint = await session.LoadAsync<WebhookEndpoint>(delivery.EndpointId, ct);
        if (endpoint is null || !endpoint.IsEnabled)
        {
            delivery.Status = WebhookDeliveryStatus.Cancelled;
            delivery.CancelledBecause = endpoint is null ? "The endpoint was deleted." : "The endpoint is disabled.";
            delivery.NextAttemptAt = null;
            session.Store(delivery);
            return messages;
        }

        var attemptsInSeries = delivery.AttemptsInSeries;
        var trigger = attemptsInSeries > 0 ? "retry" : delivery.Series == 1 ? "event" : "redeliver";
        var attempt = await sender.AttemptAsync(session.TenantId, endpoint, delivery, trigger, ct);
        delivery.Attempts.Add(attempt);
        var now = clock.GetUtcNow();

        var delays = options.Value.RetryDelays;
        if (attempt.Succeeded)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            delivery.NextAttemptAt = null;
        }
        else if (attemptsInSeries < delays.Length)
        {
            var delay = delays[attemptsInSeries];
            delivery.NextAttemptAt = now + delay;
            messages.Add(new DeliverWebhook(delivery.Id, delivery.Series).DelayedFor(delay));
        }
        else
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.FailedAt = now;
            delivery.NextAttemptAt = null;
            var anySuccessSince = await session.Query<WebhookDelivery>()
                .AnyAsync(other => other.EndpointId == endpoint.Id && other.DeliveredAt >= delivery.SeriesStartedAt, ct);
            if (!anySuccessSince)
                session.Events.Append(endpoint.Id, new WebhookEndpointDisabled(endpoint.Id,
                    $"Every delivery since {delivery.SeriesStartedAt:u} failed; the last, {delivery.Id}, after {attemptsInSeries + 1} attempts.",
                    Actor.System("webhooks"), now));
        }

        session.Store(delivery);
        return messages;
    }
}
