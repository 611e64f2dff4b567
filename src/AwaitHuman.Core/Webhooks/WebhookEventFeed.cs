using System.Text.Json;
using AwaitHuman.Core.Escalations;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// Publishes every public escalation event (<see cref="EscalationFeed"/>) to webhooks, off the
/// request path: a Marten subscription that runs on one node at a time (moved on failover), reading
/// events after they commit. Its progress and the messages it publishes are saved in one
/// transaction (Wolverine's outbox), so each event is published once, across crashes and restarts.
/// </summary>
/// <remarks>
/// It starts from the first event, not from the present: Marten's "present" is wherever the
/// subscription happens to start, so events appended before a node started it (seconds after
/// a node starts) would be lost. Old events cost a pass and send nothing, as an endpoint only
/// receives events from after its creation (<see cref="PublishWebhookEventHandler"/>).
/// </remarks>
public sealed class WebhookEventFeed : BatchSubscription
{
    public const string Name = "webhooks";

    /// <summary>Reads only the escalation events that leave the system, not every event of every capability.</summary>
    public WebhookEventFeed() : base(Name)
    {
        foreach (var type in EscalationFeed.EventClasses) IncludeType(type);
    }

    public override async Task ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        // Most events concern tenants without a webhook: publishing them would write, handle and mark a
        // durable message (with the whole event, transcript and all) for nothing. One query per tenant of
        // the page; the handler still decides who receives what, so this only skips what it would drop.
        Dictionary<string, IReadOnlyList<WebhookEndpoint>> enabled = [];
        foreach (var tenantId in page.Events.Select(e => e.TenantId).Distinct())
            enabled[tenantId] = await operations.ForTenant(tenantId).Query<WebhookEndpoint>().Where(endpoint => endpoint.DisabledAt == null).ToListAsync(cancellationToken);

        foreach (var e in page.Events)
        {
            if (EscalationFeed.Describe(e) is not { } described) continue;
            if (!enabled[e.TenantId].Any(endpoint => endpoint.Receives(described.Type, described.At))) continue;
            var data = JsonSerializer.SerializeToElement(described.Data, described.Data.GetType(), EscalationFeed.Json);
            await bus.PublishAsync(new PublishWebhookEvent(described.Type, described.EscalationId, described.At, data, described.Version), new DeliveryOptions { TenantId = e.TenantId });
        }
    }
}
