using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Core.Billing;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Server.Tests.Billing;

public class StripeWebhookTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    readonly StripeApiFake _stripe = StripeApiFake.Shared;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<(TestTenantAccount Tenant, HttpClient Owner, string SessionId, string SubscriptionId)> PaidCheckoutAsync(int seats = 3) => _app.PaidCheckoutAsync(seats);

    Task<HttpStatusCode> DeliverAsync(string payload, string? signature) => _app.DeliverStripeEventAsync(payload, signature);

    Task<HttpStatusCode> DeliverSignedAsync(string payload) => _app.DeliverSignedStripeEventAsync(payload);

    async Task<IReadOnlyList<object>> BillingEventsAsync(TestTenantAccount tenant)
    {
        await using var session = _app.Store.QuerySession(tenant.TenantId);
        return [.. (await session.Events.FetchStreamAsync(BillingAccount.StreamIdOf(Guid.Parse(tenant.TenantId)), token: Ct)).Select(e => e.Data)];
    }

    JsonObject CheckoutSessionObject(string sessionId) => _stripe.CheckoutSession(sessionId)!;

    [Fact]
    public async Task A_completed_checkout_puts_the_tenant_on_the_paid_plan_with_its_seats()
    {
        var (tenant, owner, sessionId, subscriptionId) = await PaidCheckoutAsync(seats: 3);

        (await DeliverSignedAsync(StripeApiFake.Event("checkout.session.completed", CheckoutSessionObject(sessionId)))).ShouldBe(HttpStatusCode.OK);

        var billing = await CheckoutAndPortalTests.BillingAsync(owner);
        billing.GetProperty("plan").GetProperty("id").GetString().ShouldBe("team");
        billing.GetProperty("seats_paid").GetInt32().ShouldBe(3);
        billing.GetProperty("subscription_status").GetString().ShouldBe("active");
        (await BillingEventsAsync(tenant)).OfType<CheckoutCompleted>().ShouldHaveSingleItem().SubscriptionId.ShouldBe(subscriptionId);
        owner.Dispose();
    }

    [Fact]
    public async Task Forged_stale_and_unsigned_events_are_refused_and_change_nothing()
    {
        var (tenant, owner, sessionId, _) = await PaidCheckoutAsync();
        var payload = StripeApiFake.Event("checkout.session.completed", CheckoutSessionObject(sessionId));
        var before = await BillingEventsAsync(tenant);

        (await DeliverAsync(payload, StripeWebhookSigner.Sign(payload, "whsec_someoneelsessecret", DateTimeOffset.UtcNow))).ShouldBe(HttpStatusCode.BadRequest);
        (await DeliverAsync(payload, StripeWebhookSigner.Sign(payload, StripeApiFake.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-6)))).ShouldBe(HttpStatusCode.BadRequest);
        (await DeliverAsync(payload, null)).ShouldBe(HttpStatusCode.BadRequest);
        var tampered = payload.Replace("\"livemode\":false", "\"livemode\":true", StringComparison.Ordinal);
        (await DeliverAsync(tampered, StripeWebhookSigner.Sign(payload, StripeApiFake.WebhookSecret, DateTimeOffset.UtcNow))).ShouldBe(HttpStatusCode.BadRequest);

        (await BillingEventsAsync(tenant)).Count.ShouldBe(before.Count);
        (await CheckoutAndPortalTests.BillingAsync(owner)).GetProperty("plan").GetProperty("id").GetString().ShouldBe("free");
        owner.Dispose();
    }

    [Fact]
    public async Task A_replayed_event_is_handled_once()
    {
        var (tenant, owner, sessionId, _) = await PaidCheckoutAsync();
        var payload = StripeApiFake.Event("checkout.session.completed", CheckoutSessionObject(sessionId));

        (await DeliverSignedAsync(payload)).ShouldBe(HttpStatusCode.OK);
        var afterFirst = await BillingEventsAsync(tenant);
        // Stripe retries with the same event, signed anew.
        (await DeliverSignedAsync(payload)).ShouldBe(HttpStatusCode.OK);

        (await BillingEventsAsync(tenant)).Count.ShouldBe(afterFirst.Count);
        afterFirst.OfType<CheckoutCompleted>().ShouldHaveSingleItem();
        owner.Dispose();
    }

    [Fact]
    public async Task Events_out_of_order_leave_what_Stripe_has_now()
    {
        var (_, owner, sessionId, subscriptionId) = await PaidCheckoutAsync(seats: 3);
        var created = StripeApiFake.Event("customer.subscription.created", _stripe.Subscription(subscriptionId)!, created: DateTimeOffset.UtcNow.AddSeconds(-30));
        // The owner adds seats in the portal, and that update arrives before the creation and the checkout.
        _stripe.ChangeSubscription(subscriptionId, seats: 7);
        var updated = StripeApiFake.Event("customer.subscription.updated", _stripe.Subscription(subscriptionId)!);

        (await DeliverSignedAsync(updated)).ShouldBe(HttpStatusCode.OK);
        (await DeliverSignedAsync(created)).ShouldBe(HttpStatusCode.OK);
        (await DeliverSignedAsync(StripeApiFake.Event("checkout.session.completed", CheckoutSessionObject(sessionId)))).ShouldBe(HttpStatusCode.OK);

        var billing = await CheckoutAndPortalTests.BillingAsync(owner);
        billing.GetProperty("seats_paid").GetInt32().ShouldBe(7);
        billing.GetProperty("plan").GetProperty("id").GetString().ShouldBe("team");
        owner.Dispose();
    }

    [Fact]
    public async Task A_failed_payment_marks_the_tenant_past_due_until_an_invoice_is_paid_and_a_cancellation_returns_it_to_the_default_plan()
    {
        var (_, owner, sessionId, subscriptionId) = await PaidCheckoutAsync(seats: 4);
        (await DeliverSignedAsync(StripeApiFake.Event("checkout.session.completed", CheckoutSessionObject(sessionId)))).ShouldBe(HttpStatusCode.OK);

        _stripe.ChangeSubscription(subscriptionId, status: "past_due");
        var failedInvoice = _stripe.Invoice(subscriptionId, "open");
        (await DeliverSignedAsync(StripeApiFake.Event("invoice.payment_failed", failedInvoice))).ShouldBe(HttpStatusCode.OK);
        var pastDue = await CheckoutAndPortalTests.BillingAsync(owner);
        pastDue.GetProperty("subscription_status").GetString().ShouldBe("past_due");
        pastDue.GetProperty("payment_failing_since").ValueKind.ShouldBe(JsonValueKind.String);
        pastDue.GetProperty("plan").GetProperty("id").GetString().ShouldBe("team", "Stripe is still retrying: the plan stands");

        _stripe.ChangeSubscription(subscriptionId, status: "active");
        failedInvoice["status"] = "paid";
        failedInvoice["amount_paid"] = failedInvoice["amount_due"]!.GetValue<long>();
        (await DeliverSignedAsync(StripeApiFake.Event("invoice.paid", failedInvoice))).ShouldBe(HttpStatusCode.OK);
        // The failure's notice arrives again, late, under a new event id: the paid invoice stands.
        (await DeliverSignedAsync(StripeApiFake.Event("invoice.payment_failed", failedInvoice))).ShouldBe(HttpStatusCode.OK);
        var paid = await CheckoutAndPortalTests.BillingAsync(owner);
        paid.GetProperty("subscription_status").GetString().ShouldBe("active");
        paid.GetProperty("payment_failing_since").ValueKind.ShouldBe(JsonValueKind.Null);
        paid.GetProperty("invoices")[0].GetProperty("status").GetString().ShouldBe("paid");

        _stripe.ChangeSubscription(subscriptionId, status: "canceled");
        (await DeliverSignedAsync(StripeApiFake.Event("customer.subscription.deleted", _stripe.Subscription(subscriptionId)!))).ShouldBe(HttpStatusCode.OK);
        var canceled = await CheckoutAndPortalTests.BillingAsync(owner);
        canceled.GetProperty("subscription_status").GetString().ShouldBe("canceled");
        canceled.GetProperty("plan").GetProperty("id").GetString().ShouldBe("free");
        canceled.GetProperty("seats_paid").GetInt32().ShouldBe(25);
        owner.Dispose();
    }

    [Fact]
    public async Task An_event_about_another_tenants_customer_changes_only_that_tenant()
    {
        var (_, owner, sessionId, _) = await PaidCheckoutAsync();
        var other = await _app.NewTenantAsync();
        using var otherOwner = await _app.SignedInClientAsync(other.OwnerEmail, other.OwnerPassword);

        (await DeliverSignedAsync(StripeApiFake.Event("checkout.session.completed", CheckoutSessionObject(sessionId)))).ShouldBe(HttpStatusCode.OK);

        (await CheckoutAndPortalTests.BillingAsync(owner)).GetProperty("plan").GetProperty("id").GetString().ShouldBe("team");
        (await CheckoutAndPortalTests.BillingAsync(otherOwner)).GetProperty("plan").GetProperty("id").GetString().ShouldBe("free");
        owner.Dispose();
    }

    [Fact]
    public async Task An_event_for_a_customer_that_is_no_tenants_is_taken_and_ignored()
    {
        var unknown = new JsonObject { ["id"] = "sub_unknown", ["object"] = "subscription", ["customer"] = "cus_nobody", ["status"] = "active", ["items"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray() } };

        (await DeliverSignedAsync(StripeApiFake.Event("customer.subscription.updated", unknown))).ShouldBe(HttpStatusCode.OK);
    }
}
