using System.Diagnostics.CodeAnalysis;
using JasperFx;
using Marten;
using Marten.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace AwaitHuman.Core.Billing.Webhooks;

/// <summary>A Stripe event id this tenant has handled; its insert commits with what the event changed.</summary>
public sealed class StripeEventReceipt : ITenanted
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTimeOffset HandledAt { get; set; }
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";
}

/// <summary>
/// Handles each Stripe event once. The receipt (by Stripe's event id) commits in the same
/// transaction as the events it causes, so a replay, or a twin handled at the same moment, changes
/// nothing. Order does not matter: the subscription is read from Stripe under the billing stream's
/// lock, so whichever event is handled last records what Stripe has now.
/// </summary>
public static class StripeEventHandler
{
    public static void Configure(HandlerChain chain) =>
        chain.OnException<StripeException>().Or<HttpRequestException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));

    public static async Task Handle(HandleStripeEvent message, IDocumentStore store, StripeGateway stripe, IOptions<BillingOptions> options, TimeProvider clock,
        ILogger<HandleStripeEvent> logger, CancellationToken ct)
    {
        var billing = options.Value;
        var stripeEvent = EventUtility.ParseEvent(message.Payload, throwOnApiVersionMismatch: false);
        var (customerId, subscriptionId) = References(stripeEvent.Data.Object);
        if (customerId is null)
        {
            logger.LogInformation("Stripe event {EventId} ({Type}) names no customer; nothing to do", message.EventId, message.Type);
            return;
        }

        BillingAccount? owner;
        await using (var query = store.QuerySession())
            owner = await query.Query<BillingAccount>().Where(account => account.AnyTenant() && account.StripeCustomerId == customerId).FirstOrDefaultAsync(ct);
        if (owner is null)
        {
            logger.LogWarning("Stripe event {EventId} ({Type}) is about customer {CustomerId}, which is no tenant's", message.EventId, message.Type, customerId);
            return;
        }

        await using var session = store.LightweightSession(owner.TenantId);
        if (await session.LoadAsync<StripeEventReceipt>(message.EventId, ct) is not null) return;
        var now = clock.GetUtcNow();
        session.Insert(new StripeEventReceipt { Id = message.EventId, Type = message.Type, HandledAt = now });
        var stream = await BillingStreams.LockAsync(session, billing, owner.TenantGuid, now, ct);

        foreach (var happened in Facts(stripeEvent, now))
            session.Events.Append(stream.Id, happened);
        // Read under the lock: a later holder reads later, so the last commit is Stripe's latest word.
        if (subscriptionId is not null && await stripe.GetSubscriptionAsync(subscriptionId, ct) is { } subscription
            && Synced(subscription, billing, message.Type, now) is { } synced && Changes(stream.State, synced))
            session.Events.Append(stream.Id, synced);

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            logger.LogInformation("Stripe event {EventId} was handled meanwhile", message.EventId);
        }
    }

    static (string? CustomerId, string? SubscriptionId) References(IHasObject? data) => data switch
    {
        Stripe.Checkout.Session checkout => (checkout.CustomerId, checkout.Mode == "subscription" ? checkout.SubscriptionId : null),
        Subscription subscription => (subscription.CustomerId, subscription.Id),
        Invoice invoice => (invoice.CustomerId, invoice.Parent?.SubscriptionDetails?.SubscriptionId),
        _ => (null, null),
    };

    /// <summary>What the event itself tells, beside the subscription's state.</summary>
    static IEnumerable<object> Facts(Event stripeEvent, DateTimeOffset now)
    {
        switch (stripeEvent.Data.Object)
        {
            case Stripe.Checkout.Session { Mode: "subscription", SubscriptionId: { } subscriptionId } checkout when stripeEvent.Type == EventTypes.CheckoutSessionCompleted:
                yield return new CheckoutCompleted(checkout.Id, subscriptionId, now);
                break;
            case Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaid:
                yield return new InvoicePaid(invoice.Id, invoice.AmountPaid, invoice.Currency, invoice.HostedInvoiceUrl, now);
                break;
            case Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaymentFailed:
                yield return new InvoicePaymentFailed(invoice.Id, invoice.AmountDue, invoice.Currency, invoice.HostedInvoiceUrl, Utc(invoice.NextPaymentAttempt), now);
                break;
        }
    }

    static SubscriptionSynced? Synced(Subscription subscription, BillingOptions billing, string cause, DateTimeOffset now)
    {
        var items = subscription.Items?.Data ?? [];
        var seatItem = items.FirstOrDefault(item => billing.PlanOfSeatPrice(item.Price?.Id) is not null) ?? items.FirstOrDefault(item => item.Quantity > 0);
        var planId = BillingStates.IsCurrent(subscription.Status) ? billing.PlanOfSeatPrice(seatItem?.Price?.Id)?.Id
            : subscription.Status is "canceled" or "incomplete_expired" ? billing.DefaultPlan
            : null;
        return new SubscriptionSynced(subscription.Id, subscription.Status, planId, (int)(seatItem?.Quantity ?? 0),
            Utc(seatItem?.CurrentPeriodEnd), subscription.CancelAtPeriodEnd, cause, now);
    }

    static bool Changes(BillingAccount state, SubscriptionSynced synced) =>
        state.SubscriptionId != synced.SubscriptionId
        || state.SubscriptionStatus != synced.Status
        || (synced.PlanId is not null && state.PlanId != synced.PlanId)
        || state.PaidSeats != (BillingStates.IsCurrent(synced.Status) ? synced.Seats : null)
        || state.CurrentPeriodEnd != synced.CurrentPeriodEnd
        || state.CancelAtPeriodEnd != synced.CancelAtPeriodEnd;

    static DateTimeOffset? Utc(DateTime? at) => at is { } value && value != default ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
