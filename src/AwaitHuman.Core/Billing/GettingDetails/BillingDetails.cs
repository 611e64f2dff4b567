using AwaitHuman.Core.Billing.Seats;
using AwaitHuman.Core.Billing.Usage;
using AwaitHuman.Core.Members;
using Marten;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Billing.GettingDetails;

public sealed record PlanInfo(string Id, string Name, int IncludedSeats, int IncludedEscalations, bool Paid);

/// <summary>Escalations a human handled on one day (UTC) of the billing period.</summary>
public sealed record UsageDay(DateOnly Day, int Handled);

/// <summary>This period's handled escalations, from our own records (what the meter is told, whether or not it is billed).</summary>
/// <param name="From">The period's start: the subscription's current period, else the calendar month (UTC).</param>
public sealed record UsageThisPeriod(DateTimeOffset From, DateTimeOffset To, int Handled, IReadOnlyList<UsageDay> Days);

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
    IReadOnlyList<PlanInfo> Plans,
    UsageThisPeriod? Usage = null);

public sealed class BillingDetailsReader(IOptions<BillingOptions> options, TimeProvider clock)
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
            [.. billing.Plans.Select(Info)],
            await UsageAsync(session, account, ct));
    }

    async Task<UsageThisPeriod> UsageAsync(IQuerySession session, BillingAccount? account, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (from, to) = account?.CurrentPeriodEnd is { } end && BillingStates.IsCurrent(account.SubscriptionStatus)
            ? (end.AddMonths(-1), end)
            : (new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1));
        var handled = await session.Query<HandledEscalation>().Where(h => h.At >= from && h.At < to).Select(h => h.At).ToListAsync(ct);
        var days = handled.GroupBy(at => DateOnly.FromDateTime(at.UtcDateTime)).OrderBy(day => day.Key).Select(day => new UsageDay(day.Key, day.Count())).ToList();
        return new UsageThisPeriod(from, to, handled.Count, days);
    }

    static PlanInfo Info(BillingPlan plan) => new(plan.Id, string.IsNullOrWhiteSpace(plan.Name) ? plan.Id : plan.Name, plan.IncludedSeats, plan.IncludedEscalations, plan.IsPaid);
}
