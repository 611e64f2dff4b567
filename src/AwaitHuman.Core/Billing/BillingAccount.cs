using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Marten.Metadata;

namespace AwaitHuman.Core.Billing;

/// <summary>The tenant's billing began on a plan: at creation, or when billing first met a tenant created before it existed.</summary>
public sealed record BillingStarted(Guid TenantId, string PlanId, DateTimeOffset At);

/// <summary>The tenant's Stripe customer exists; every later Stripe object hangs off it.</summary>
public sealed record StripeCustomerCreated(string CustomerId, DateTimeOffset At);

/// <summary>An owner paid in Stripe Checkout; the subscription it made follows as <see cref="SubscriptionSynced"/>.</summary>
public sealed record CheckoutCompleted(string SessionId, string SubscriptionId, DateTimeOffset At);

/// <summary>
/// The subscription as Stripe had it when we last read it. Always read from Stripe, never taken from
/// a webhook's body, so events that arrive late or twice cannot wind it back.
/// </summary>
/// <param name="Status">Stripe's status: trialing, active, past_due, unpaid, canceled, incomplete, incomplete_expired, paused.</param>
/// <param name="PlanId">The plan the tenant is on from now: the seat price's while the subscription is current, the
/// default plan once it ended; null leaves the plan as it was (an unknown price, a first payment still pending).</param>
/// <param name="Seats">The seat item's quantity: the seats paid for.</param>
public sealed record SubscriptionSynced(
    string SubscriptionId, string Status, string? PlanId, int Seats, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd, string Cause, DateTimeOffset At);

public sealed record InvoicePaid(string InvoiceId, long AmountPaid, string Currency, string? HostedInvoiceUrl, DateTimeOffset At);

public sealed record InvoicePaymentFailed(string InvoiceId, long AmountDue, string Currency, string? HostedInvoiceUrl, DateTimeOffset? NextAttemptAt, DateTimeOffset At);

/// <summary>An invoice as the billing page lists it.</summary>
public sealed record BillingInvoice(string Id, string Status, long Amount, string Currency, string? HostedUrl, DateTimeOffset At);

/// <summary>
/// A tenant's billing, from the events on its billing stream (one per tenant, <see cref="StreamIdOf"/>).
/// Only Stripe changes the paid state: our own code records what Stripe said and when.
/// </summary>
public sealed class BillingAccount : ITenanted
{
    public Guid Id { get; set; }
    public Guid TenantGuid { get; set; }
    public string PlanId { get; set; } = "";
    public string? StripeCustomerId { get; set; }
    public string? SubscriptionId { get; set; }
    public string? SubscriptionStatus { get; set; }
    /// <summary>Seats paid for in the subscription; null on a free plan (its included seats count).</summary>
    public int? PaidSeats { get; set; }
    public DateTimeOffset? CurrentPeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }
    /// <summary>Since when the latest payment has failed; cleared when an invoice is paid or the subscription is current again.</summary>
    public DateTimeOffset? PaymentFailingSince { get; set; }
    public List<BillingInvoice> Invoices { get; set; } = [];

    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    const int InvoicesKept = 24;

    /// <summary>The billing stream's id for a tenant: derived from the tenant id, so nothing has to look it up.</summary>
    public static Guid StreamIdOf(Guid tenantId)
    {
        // A name-based (version 5 style) UUID: SHA-1 of a fixed prefix and the tenant id.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes($"awaithuman-billing:{tenantId:D}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static BillingAccount Create(BillingStarted started) => new()
    {
        Id = StreamIdOf(started.TenantId),
        TenantGuid = started.TenantId,
        TenantId = started.TenantId.ToString(),
        PlanId = started.PlanId,
    };

    public void Apply(StripeCustomerCreated created) => StripeCustomerId = created.CustomerId;

    public void Apply(CheckoutCompleted completed) => SubscriptionId ??= completed.SubscriptionId;

    public void Apply(SubscriptionSynced synced)
    {
        // A newer subscription replaces a canceled one; a late word about the old one is history only.
        if (SubscriptionId is not null && SubscriptionId != synced.SubscriptionId && SubscriptionStatus is not (null or "canceled" or "incomplete_expired"))
            return;
        SubscriptionId = synced.SubscriptionId;
        SubscriptionStatus = synced.Status;
        CurrentPeriodEnd = synced.CurrentPeriodEnd;
        CancelAtPeriodEnd = synced.CancelAtPeriodEnd;
        if (synced.PlanId is not null) PlanId = synced.PlanId;
        PaidSeats = BillingStates.IsCurrent(synced.Status) ? synced.Seats : null;
        if (synced.Status is "active" or "trialing") PaymentFailingSince = null;
        if (synced.Status is "past_due" or "unpaid") PaymentFailingSince ??= synced.At;
    }

    public void Apply(InvoicePaid paid)
    {
        Remember(new BillingInvoice(paid.InvoiceId, "paid", paid.AmountPaid, paid.Currency, paid.HostedInvoiceUrl, paid.At));
        PaymentFailingSince = null;
    }

    public void Apply(InvoicePaymentFailed failed)
    {
        // A failure reported after the same invoice was paid (events cross in flight) changes nothing.
        if (Invoices.Any(invoice => invoice.Id == failed.InvoiceId && invoice.Status == "paid")) return;
        Remember(new BillingInvoice(failed.InvoiceId, "payment_failed", failed.AmountDue, failed.Currency, failed.HostedInvoiceUrl, failed.At));
        PaymentFailingSince ??= failed.At;
    }

    void Remember(BillingInvoice invoice)
    {
        Invoices.RemoveAll(known => known.Id == invoice.Id);
        Invoices.Insert(0, invoice);
        if (Invoices.Count > InvoicesKept) Invoices.RemoveRange(InvoicesKept, Invoices.Count - InvoicesKept);
    }
}

/// <summary>Stripe's subscription statuses, in our terms.</summary>
public static class BillingStates
{
    /// <summary>The subscription pays for its plan (or is in its grace period before Stripe gives up).</summary>
    public static bool IsCurrent(string? status) => status is "active" or "trialing" or "past_due";
}
