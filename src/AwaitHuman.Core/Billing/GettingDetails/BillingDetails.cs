using AwaitHuman.Core.Billing.Seats;
using AwaitHuman.Core.Members;
using Marten;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Billing.GettingDetails;

public sealed record PlanInfo(string Id, string Name, int IncludedSeats, int IncludedEscalations, bool Paid);

/// <summary>A tenant's billing as the owner sees it.</summary>
/// <param name="Enabled">False when the platform has no Stripe key: every tenant is unlimited and the rest is empty.</param>
/// <param name="SeatsPaid">The seats the tenant may fill: the subscription's quantity, else the plan's included seats; null when unlimited.</param>
/// <param name="PaymentFailingSince">Set while Stripe reports a failed payment (the dunning banner).</param>
public sealed record BillingDetails(
    bool Enabled,
    PlanInfo? Plan,
    int SeatsUsed,
    int? SeatsPaid,
    string? SubscriptionStatus,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? PaymentFailingSince,
    bool HasStripeCustomer,
    IReadOnlyList<BillingInvoice> Invoices,
    IReadOnlyList<PlanInfo> Plans);

public sealed class BillingDetailsReader(IOptions<BillingOptions> options)
{
    public async Task<BillingDetails> ReadAsync(IQuerySession session, Guid tenantId, CancellationToken ct)
    {
        var billing = options.Value;
        var seatsUsed = await session.Query<Membership>().CountAsync(ct);
        if (!billing.Enabled) return new(false, null, seatsUsed, null, null, null, false, null, false, [], []);

        var account = await session.LoadAsync<BillingAccount>(BillingAccount.StreamIdOf(tenantId), ct);
        var plan = billing.Plan(account?.PlanId is { Length: > 0 } planId ? planId : billing.DefaultPlan);
        return new(
            true,
            plan is null ? null : Info(plan),
            seatsUsed,
            SeatLimits.Of(billing, account)?.Seats,
            account?.SubscriptionStatus,
            account?.CurrentPeriodEnd,
            account?.CancelAtPeriodEnd ?? false,
            account?.PaymentFailingSince,
            account?.StripeCustomerId is not null,
            account?.Invoices ?? [],
            [.. billing.Plans.Select(Info)]);
    }

    static PlanInfo Info(BillingPlan plan) => new(plan.Id, string.IsNullOrWhiteSpace(plan.Name) ? plan.Id : plan.Name, plan.IncludedSeats, plan.IncludedEscalations, plan.IsPaid);
}
