using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.Extensions.Options;
using Stripe;

namespace AwaitHuman.Core.Billing.Subscribing;

/// <param name="Plan">A paid plan's id (<c>team</c>, <c>business</c>).</param>
/// <param name="Seats">Seats to pay for; at least the members the tenant has. Defaults to the larger of those and the plan's included seats.</param>
public sealed record StartCheckout(string? Plan, int? Seats);

/// <summary>Where to send the owner's browser: a Stripe-hosted page.</summary>
public sealed record BillingRedirect(Uri Url);

/// <summary>
/// The owner's billing actions, for the API and the billing page alike. They need a Stripe page at
/// once, so they call Stripe while the caller waits; everything Stripe later decides reaches us
/// through the webhook.
/// </summary>
public sealed class BillingUseCases(IDocumentStore store, StripeGateway stripe, IOptions<BillingOptions> options, PublicUrls urls, TimeProvider clock)
{
    public const int MaxSeats = 10_000;
    public const string PagePath = "admin/billing";

    public static readonly Failure NotConfigured = new Failure.CannotBeDone(
        "Billing is not configured on this platform: every tenant is unlimited. See docs/billing.md to configure Stripe.");

    public async Task<Outcome<BillingRedirect>> StartCheckoutAsync(Guid tenantId, Guid? personId, StartCheckout request, CancellationToken ct)
    {
        var billing = options.Value;
        if (!billing.Enabled) return NotConfigured;
        var paidPlans = billing.Plans.Where(plan => plan.IsPaid).Select(plan => plan.Id).ToArray();
        if (string.IsNullOrWhiteSpace(request.Plan) || billing.Plan(request.Plan) is not { IsPaid: true } plan)
            return Failure.Invalid.Of("plan", $"The plan is one of: {string.Join(", ", paidPlans)}.");

        int members;
        await using (var query = store.QuerySession(tenantId.ToString()))
            members = await query.Query<Membership>().CountAsync(ct);
        var seats = request.Seats ?? Math.Max(members, plan.IncludedSeats);
        if (seats < 1 || seats > MaxSeats) return Failure.Invalid.Of("seats", $"Seats are 1 to {MaxSeats}.");
        if (seats < members) return Failure.Invalid.Of("seats", $"The tenant has {members} members: buy at least {members} seats, or remove members first.");

        BillingAccount account;
        string customerId;
        try
        {
            (account, customerId) = await EnsureCustomerAsync(tenantId, personId, ct);
        }
        catch (StripeException e)
        {
            return Refused(e);
        }
        if (BillingStates.IsCurrent(account.SubscriptionStatus))
            return new Failure.Conflict("The tenant already has a subscription: change its plan or seats in the customer portal.");

        var page = new Uri(urls.BaseUrl, PagePath);
        return await AskStripeAsync(async () => new BillingRedirect(await stripe.CreateCheckoutSessionAsync(tenantId, customerId, plan, seats,
            new Uri(page + "?checkout=done"), new Uri(page + "?checkout=canceled"), Guid.CreateVersion7(clock.GetUtcNow()), ct)));
    }

    public async Task<Outcome<BillingRedirect>> OpenCustomerPortalAsync(Guid tenantId, Guid? personId, CancellationToken ct)
    {
        var billing = options.Value;
        if (!billing.Enabled) return NotConfigured;
        return await AskStripeAsync(async () =>
        {
            var (_, customerId) = await EnsureCustomerAsync(tenantId, personId, ct);
            return new BillingRedirect(await stripe.CreatePortalSessionAsync(customerId, new Uri(urls.BaseUrl, PagePath), Guid.CreateVersion7(clock.GetUtcNow()), ct));
        });
    }

    /// <summary>Stripe's refusals (a wrong price id, a deleted customer) are the platform's to fix; the owner reads what Stripe said.</summary>
    static async Task<Outcome<BillingRedirect>> AskStripeAsync(Func<Task<BillingRedirect>> ask)
    {
        try
        {
            return await ask();
        }
        catch (StripeException e)
        {
            return Refused(e);
        }
    }

    static Failure Refused(StripeException e) =>
        new Failure.CannotBeDone($"Stripe did not take the request: {e.StripeError?.Message ?? e.Message}");

    /// <summary>
    /// The tenant's Stripe customer, made on first need. The stream is locked meanwhile, and the
    /// idempotency key is the tenant's, so two clicks or a retry after a crash find the same customer.
    /// </summary>
    /// <remarks>It commits before any page is asked for, so a customer Stripe made is never forgotten by us.</remarks>
    async Task<(BillingAccount Account, string CustomerId)> EnsureCustomerAsync(Guid tenantId, Guid? personId, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenantId.ToString());
        var account = await BillingStreams.LockAsync(session, options.Value, tenantId, clock.GetUtcNow(), ct);
        if (account.State.StripeCustomerId is { } known) return (account.State, known);
        var tenant = await session.LoadAsync<Tenant>(tenantId, ct) ?? throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
        var email = personId is { } id ? (await session.Query<Membership>().FirstOrDefaultAsync(m => m.PersonId == id, ct))?.Email : null;
        var customerId = await stripe.CreateCustomerAsync(tenantId, tenant.Name, email, ct);
        session.Events.Append(account.Id, new StripeCustomerCreated(customerId, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return (account.State, customerId);
    }
}
