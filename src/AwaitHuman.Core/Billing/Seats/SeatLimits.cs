using AwaitHuman.Core.Members;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Billing.Seats;

/// <summary>The seats a tenant may fill and the plan they come from.</summary>
public sealed record SeatLimit(int Seats, string PlanName)
{
    public const string AddSeatsPath = "/admin/billing";

    /// <summary>A refusal when the members and pending invitations leave no seat for one more person; null while one is free.</summary>
    /// <param name="field">The request's field the refusal belongs to, so forms show it there.</param>
    public Failure? RefuseOneMore(int members, int pendingInvitations, string field)
    {
        if (members + pendingInvitations < Seats) return null;
        var pending = pendingInvitations == 0 ? "" : $" and {pendingInvitations} pending invitation{(pendingInvitations == 1 ? "" : "s")}";
        return new Failure.Conflict(
            $"{(Seats == 1 ? "The 1 seat" : $"All {Seats} seats")} of the {PlanName} plan {(Seats == 1 ? "is" : "are")} taken ({members} member{(members == 1 ? "" : "s")}{pending}). " +
            $"The owner can add seats on the billing page ({AddSeatsPath}), or remove a member or revoke an invitation first.", field);
    }
}

/// <summary>
/// How many people may have console access: the subscription's paid seats while it is current, else
/// the plan's included seats. Billing off (no Stripe key) means no limit at all.
/// </summary>
public sealed class SeatLimits(IOptions<BillingOptions> options) : ISeatCheck
{
    public async Task<Failure?> RefuseOneMoreAsync(IQuerySession session, Guid tenantId, string field, CancellationToken ct) =>
        await OfAsync(session, tenantId, ct) is { } limit ? limit.RefuseOneMore(await session.Query<Membership>().CountAsync(ct), 0, field) : null;

    /// <summary>The tenant's limit; null when it has none.</summary>
    public async Task<SeatLimit?> OfAsync(IQuerySession session, Guid tenantId, CancellationToken ct)
    {
        var billing = options.Value;
        if (!billing.Enabled) return null;
        var account = await session.LoadAsync<BillingAccount>(BillingAccount.StreamIdOf(tenantId), ct);
        return Of(billing, account);
    }

    public static SeatLimit? Of(BillingOptions billing, BillingAccount? account)
    {
        var plan = billing.Plan(account?.PlanId is { Length: > 0 } planId ? planId : billing.DefaultPlan);
        var seats = account?.PaidSeats ?? plan?.IncludedSeats;
        return seats is null ? null : new SeatLimit(seats.Value, plan is null ? "current" : string.IsNullOrWhiteSpace(plan.Name) ? plan.Id : plan.Name);
    }
}
