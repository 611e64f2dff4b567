using System.Text.Json;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Webhooks;

/// <param name="Payload">The body as sent (the Standard Webhooks envelope).</param>
public sealed record WebhookDeliveryDetails(
    string Id, Guid EndpointId, string EventType, Guid? EscalationId, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt, string? CancelledBecause,
    JsonElement Payload, WebhookAttempt[] Attempts)
{
    public static WebhookDeliveryDetails Of(WebhookDelivery delivery)
    {
        using var body = JsonDocument.Parse(delivery.Body);
        return new(delivery.Id, delivery.EndpointId, delivery.EventType, delivery.EscalationId, delivery.Status, delivery.CreatedAt,
            delivery.NextAttemptAt, delivery.DeliveredAt, delivery.FailedAt, delivery.CancelledBecause, body.RootElement.Clone(), [.. delivery.Attempts]);
    }
}

/// <summary>An endpoint's delivery log and redelivery, for the API and the developers page.</summary>
public static class WebhookDeliveryUseCases
{
    public static readonly IReadOnlyList<string> Statuses =
        [WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Delivered, WebhookDeliveryStatus.Failed, WebhookDeliveryStatus.Cancelled];

    /// <param name="status">Only deliveries in this state; all when null.</param>
    /// <param name="cursor">The previous page's next_cursor, for older deliveries.</param>
    public static async Task<Outcome<ListPage<WebhookDeliveryDetails>>> ListAsync(Guid id, string? status, string? cursor, int? limit, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(id, ct) is null) return Failure.NotFound.Of("webhook endpoint");
        var errors = new Problems.Errors()
            .Check("status", status is null || Statuses.Contains(status) ? null : $"The status is one of {string.Join(", ", Statuses)}.");
        var page = Paging.Read(errors, limit, cursor, key => key.StartsWith(WebhookDelivery.IdPrefix, StringComparison.Ordinal));
        if (errors.Any) return errors.ToFailure();

        var query = session.Query<WebhookDelivery>().Where(delivery => delivery.EndpointId == id);
        if (status is not null) query = query.Where(delivery => delivery.Status == status);
        // The ids hold a version 7 Guid made at the delivery's creation: their order is the log's.
        if (page.After is { } after) query = query.Where(delivery => delivery.MatchesSql("d.id < ?", after));
        var deliveries = await query.OrderByDescending(delivery => delivery.Id).Take(page.Limit + 1).ToListAsync(ct);
        return Paging.Trim(deliveries, delivery => delivery.Id, page).Select(WebhookDeliveryDetails.Of);
    }

    public static async Task<Outcome<WebhookDeliveryDetails>> RedeliverAsync(
        Guid id, string deliveryId, IDocumentSession session, IMessageBus bus, DateTimeOffset now, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        var delivery = await session.LoadAsync<WebhookDelivery>(deliveryId, ct);
        if (endpoint is null || delivery is null || delivery.EndpointId != id) return Failure.NotFound.Of("webhook delivery");
        if (!endpoint.IsEnabled) return new Failure.Conflict("The endpoint is disabled; enable it first.");

        delivery.Series++;
        delivery.SeriesStartedAt = now;
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = now;
        delivery.FailedAt = null;
        delivery.CancelledBecause = null;
        session.Store(delivery);
        await bus.PublishAsync(new DeliverWebhook(delivery.Id, delivery.Series));
        return WebhookDeliveryDetails.Of(delivery);
    }
}

public static class WebhookDeliveryEndpoints
{
    [WolverineGet("/v1/webhook-endpoints/{id}/deliveries", OperationId = "ListWebhookDeliveries")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("An endpoint's delivery log, newest first, each delivery with every attempt; pass next_cursor back as cursor for older ones")]
    [ProducesResponseType<ListPage<WebhookDeliveryDetails>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(Guid id, string? status, string? cursor, int? limit, IQuerySession session, CancellationToken ct) =>
        Problems.Of(await WebhookDeliveryUseCases.ListAsync(id, status, cursor, limit, session, ct));

    [WolverinePost("/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver", OperationId = "RedeliverWebhook")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Sends a delivery again now, with the same webhook-id, and retries it on the usual schedule")]
    public static async Task<IResult> Redeliver(
        Guid id, string deliveryId, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await WebhookDeliveryUseCases.RedeliverAsync(id, deliveryId, session, bus, clock.GetUtcNow(), ct),
            redelivered => Results.Accepted($"/v1/webhook-endpoints/{id}/deliveries", redelivered));
}
