using Marten;
using Microsoft.Extensions.Logging;
using Stripe;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace AwaitHuman.Core.Billing.Usage;

/// <summary>
/// Sends one meter event to Stripe per handled escalation, with the escalation's id as the event's
/// identifier: Stripe keeps one event per identifier, so a retry after a crash never counts twice.
/// </summary>
public static class ReportHandledEscalationHandler
{
    /// <summary>Stripe accepts meter events up to 35 days old; older ones (history met when billing began) are counted here only.</summary>
    static readonly TimeSpan MeterWindow = TimeSpan.FromDays(35);

    public static void Configure(HandlerChain chain) =>
        chain.OnException<StripeException>(e => e.HttpStatusCode == System.Net.HttpStatusCode.TooManyRequests || (int)e.HttpStatusCode >= 500)
            .Or<HttpRequestException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));

    public static async Task Handle(ReportHandledEscalation message, Envelope envelope, IDocumentStore store, StripeGateway stripe, TimeProvider clock,
        ILogger<ReportHandledEscalation> logger, CancellationToken ct)
    {
        await using var session = store.LightweightSession(envelope.TenantId!);
        var handled = await session.LoadAsync<HandledEscalation>(message.EscalationId, ct);
        if (handled is null || handled.ReportedAt is not null) return;
        var account = await session.LoadAsync<BillingAccount>(BillingAccount.StreamIdOf(Guid.Parse(envelope.TenantId!)), ct);
        var now = clock.GetUtcNow();
        // Metered only while a subscription pays for it; a free tenant's usage is counted for its page, not billed.
        if (account?.StripeCustomerId is not { } customerId || !BillingStates.IsCurrent(account.SubscriptionStatus) || now - handled.At > MeterWindow)
        {
            logger.LogDebug("Handled escalation {EscalationId} is not metered: no current subscription or too old", message.EscalationId);
            return;
        }
        await stripe.ReportHandledEscalationAsync(customerId, message.EscalationId, handled.At, ct);
        handled.ReportedAt = now;
        session.Update(handled);
        await session.SaveChangesAsync(ct);
    }
}
