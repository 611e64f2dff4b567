using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// Turns events of the event store into webhook publications, off the request path: a Marten
/// subscription that Wolverine runs on one node (moved on failover), reading events after they
/// commit. Its progress and the messages it publishes are saved in one transaction (Wolverine's
/// outbox), so every public event is published once, after a crash or restart too.
/// </summary>
/// <param name="describe">The public webhook event an event stands for, or null for internal ones.</param>
public sealed class WebhookEventFeed : BatchSubscription
{
    public const string Name = "webhooks";

    readonly Func<IEvent, PublishWebhookEvent?> _describe;

    public WebhookEventFeed(Func<IEvent, PublishWebhookEvent?> describe) : base(Name)
    {
        _describe = describe;
        // Events from before webhooks existed were never promised to anyone.
        Options.SubscribeFromPresent();
    }

    public override async Task ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
        {
            if (_describe(e) is { } published)
                await bus.PublishAsync(published, new DeliveryOptions { TenantId = e.TenantId });
        }
    }
}
