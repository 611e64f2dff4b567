using AwaitHuman.Core.Escalations;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace AwaitHuman.Core.Billing.Usage;

/// <summary>
/// Counts each escalation a human handled, once: a Marten subscription over the events that mean a
/// person worked on it. The <see cref="HandledEscalation"/> record and the message to the meter are
/// saved in one transaction with the subscription's progress (Wolverine's outbox), so a crash
/// between them neither loses nor doubles a count.
/// </summary>
public sealed class UsageMeterFeed : BatchSubscription
{
    public const string Name = "billing-usage";

    readonly IOptions<BillingOptions> _options;

    public UsageMeterFeed(IOptions<BillingOptions> options) : base(Name)
    {
        _options = options;
        IncludeType<EscalationClaimed>();
        IncludeType<OperatorReplied>();
        IncludeType<DraftApproved>();
        IncludeType<ApprovalDecided>();
        IncludeType<EscalationResolved>();
    }

    public override async Task ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        // With billing off there is nothing to count or meter.
        if (!_options.Value.Enabled) return;
        foreach (var tenant in page.Events.GroupBy(e => e.TenantId))
        {
            var tenantOperations = operations.ForTenant(tenant.Key);
            var firsts = tenant.GroupBy(e => e.StreamId).Select(stream => stream.First()).ToList();
            var known = (await tenantOperations.LoadManyAsync<HandledEscalation>(cancellationToken, firsts.Select(e => e.StreamId)))
                .Select(handled => handled.Id).ToHashSet();
            foreach (var first in firsts.Where(e => !known.Contains(e.StreamId)))
            {
                tenantOperations.Insert(new HandledEscalation { Id = first.StreamId, At = first.Timestamp });
                await bus.PublishAsync(new ReportHandledEscalation(first.StreamId), new DeliveryOptions { TenantId = tenant.Key });
            }
        }
    }
}
