using Microsoft.Extensions.Options;
using Stripe;

namespace AwaitHuman.Core.Billing;

/// <summary>
/// Stripe's API through Stripe.net, on an HttpClient from the factory (resilience and telemetry
/// like every other client) and at <see cref="BillingOptions.ApiBase"/>. Every create carries an
/// idempotency key the caller derives from what it means, so a retry never makes a second object.
/// </summary>
public sealed class StripeGateway(IOptions<BillingOptions> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "stripe";

    /// <summary>The metadata key that ties Stripe objects to our tenant.</summary>
    public const string TenantMetadataKey = "awaithuman_tenant_id";

    StripeClient Client()
    {
        var billing = options.Value;
        if (!billing.Enabled) throw new InvalidOperationException("Billing is not configured: Billing:SecretKey is empty.");
        // Retries are the resilience handler's; Stripe.net's own would stack on them.
        var http = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 0, appInfo: null, enableTelemetry: false);
        return new StripeClient(billing.SecretKey, httpClient: http, apiBase: billing.ApiBase.ToString().TrimEnd('/'));
    }

    public async Task<string> CreateCustomerAsync(Guid tenantId, string name, string? email, CancellationToken ct)
    {
        var customer = await new CustomerService(Client()).CreateAsync(new CustomerCreateOptions
        {
            Name = name,
            Email = email,
            Metadata = new Dictionary<string, string> { [TenantMetadataKey] = tenantId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"customer-{tenantId}" }, ct);
        return customer.Id;
    }

    public async Task<Uri> CreateCheckoutSessionAsync(Guid tenantId, string customerId, BillingPlan plan, int seats, Uri successUrl, Uri cancelUrl, Guid requestId, CancellationToken ct)
    {
        var session = await new Stripe.Checkout.SessionService(Client()).CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            ClientReferenceId = tenantId.ToString(),
            LineItems =
            [
                new() { Price = plan.SeatPriceId, Quantity = seats },
                // A metered price takes no quantity: the meter's events decide what is billed.
                new() { Price = plan.MeteredPriceId },
            ],
            SuccessUrl = successUrl.ToString(),
            CancelUrl = cancelUrl.ToString(),
            Metadata = new Dictionary<string, string> { [TenantMetadataKey] = tenantId.ToString() },
            SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions
            {
                Metadata = new Dictionary<string, string> { [TenantMetadataKey] = tenantId.ToString(), ["plan"] = plan.Id },
            },
        }, new RequestOptions { IdempotencyKey = $"checkout-{requestId}" }, ct);
        return new Uri(session.Url);
    }

    public async Task<Uri> CreatePortalSessionAsync(string customerId, Uri returnUrl, Guid requestId, CancellationToken ct)
    {
        var session = await new Stripe.BillingPortal.SessionService(Client()).CreateAsync(new Stripe.BillingPortal.SessionCreateOptions
        {
            Customer = customerId,
            ReturnUrl = returnUrl.ToString(),
        }, new RequestOptions { IdempotencyKey = $"portal-{requestId}" }, ct);
        return new Uri(session.Url);
    }

    /// <summary>
    /// One handled escalation for the billing meter. The escalation's id is the event's identifier:
    /// Stripe keeps one event per identifier, so sending it again after a crash counts nothing twice.
    /// </summary>
    public async Task ReportHandledEscalationAsync(string customerId, Guid escalationId, DateTimeOffset handledAt, CancellationToken ct) =>
        await new Stripe.Billing.MeterEventService(Client()).CreateAsync(new Stripe.Billing.MeterEventCreateOptions
        {
            EventName = options.Value.MeterEventName,
            Identifier = escalationId.ToString(),
            Timestamp = handledAt.UtcDateTime,
            Payload = new Dictionary<string, string> { ["stripe_customer_id"] = customerId, ["value"] = "1" },
        }, new RequestOptions { IdempotencyKey = $"meter-{escalationId}" }, ct);

    /// <summary>The subscription as Stripe has it now, or null when Stripe knows no such subscription.</summary>
    public async Task<Subscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken ct)
    {
        try
        {
            return await new SubscriptionService(Client()).GetAsync(subscriptionId, cancellationToken: ct);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
