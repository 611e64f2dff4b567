using System.Net;
using System.Text.Json;
using AwaitHuman.Core.Billing.Usage;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace AwaitHuman.Server.Tests.Billing;

/// <summary>Every escalation a human handled is counted once, and metered once in Stripe, whatever happens in between.</summary>
public class UsageMeterTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    readonly StripeApiFake _stripe = StripeApiFake.Shared;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens an escalation and has an operator claim it, reply twice and resolve it: four acts of handling.</summary>
    async Task<string> HandledEscalationAsync(TestTenantAccount tenant)
    {
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        using var human = _app.CreateHttpClient(member.Token);
        var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;
        await human.ActOkAsync(id, "claim");
        await human.ActOkAsync(id, "reply", new { content = "Looking into it." });
        await human.ActOkAsync(id, "reply", new { content = "Refunded." });
        await human.ActOkAsync(id, "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded." } });
        return id;
    }

    static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTimeOffset.UtcNow > until) throw new TimeoutException($"Waited a minute for {what}; last seen: {value}");
            await Task.Delay(200, Ct);
        }
    }

    static async Task<JsonElement> UsageAsync(HttpClient owner) => (await CheckoutAndPortalTests.BillingAsync(owner)).GetProperty("usage");

    [Fact]
    public async Task A_handled_escalation_is_metered_once_with_its_id_as_the_identifier_and_shows_in_this_periods_usage()
    {
        var (tenant, paidOwner, sessionId, _) = await _app.PaidCheckoutAsync(seats: 3);
        using var owner = paidOwner;
        (await _app.DeliverSignedStripeEventAsync(StripeApiFake.Event("checkout.session.completed", _stripe.CheckoutSession(sessionId)!))).ShouldBe(HttpStatusCode.OK);
        var customerId = _stripe.CustomersOf(tenant.TenantId).ShouldHaveSingleItem()["id"]!.GetValue<string>();

        var id = await HandledEscalationAsync(tenant);

        var metered = await EventuallyAsync(() => Task.FromResult(_stripe.MeterEventsOf(customerId)), events => events.Count > 0, "the meter event");
        var meterEvent = metered.ShouldHaveSingleItem("claimed, replied twice and resolved: one handled escalation");
        meterEvent["identifier"]!.GetValue<string>().ShouldBe(id);
        meterEvent["event_name"]!.GetValue<string>().ShouldBe("handled_escalation");
        meterEvent["payload"]!["value"]!.GetValue<string>().ShouldBe("1");
        var request = _stripe.ReceivedFor("/v1/billing/meter_events").Single(r => r.Field("identifier") == id);
        request.IdempotencyKey.ShouldBe($"meter-{id}");

        var usage = await EventuallyAsync(() => UsageAsync(owner), u => u.GetProperty("handled").GetInt32() == 1, "the usage");
        var today = usage.GetProperty("days").EnumerateArray().ShouldHaveSingleItem();
        today.GetProperty("day").GetString().ShouldBe(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"));
        today.GetProperty("handled").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task A_report_sent_again_after_a_crash_counts_nothing_twice()
    {
        var (tenant, paidOwner, sessionId, _) = await _app.PaidCheckoutAsync(seats: 3);
        using var owner = paidOwner;
        (await _app.DeliverSignedStripeEventAsync(StripeApiFake.Event("checkout.session.completed", _stripe.CheckoutSession(sessionId)!))).ShouldBe(HttpStatusCode.OK);
        var customerId = _stripe.CustomersOf(tenant.TenantId).ShouldHaveSingleItem()["id"]!.GetValue<string>();
        var id = Guid.Parse(await HandledEscalationAsync(tenant));
        // Stripe took the event and we noted it (the note is saved after Stripe's answer).
        await EventuallyAsync(async () =>
        {
            await using var query = _app.Store.QuerySession(tenant.TenantId);
            return await query.LoadAsync<HandledEscalation>(id, Ct);
        }, handled => handled?.ReportedAt is not null, "the report noted");
        _stripe.MeterEventsOf(customerId).ShouldHaveSingleItem();

        // The process died after Stripe took the event and before we noted it: the durable message runs again.
        await using (var session = _app.Store.LightweightSession(tenant.TenantId))
        {
            var handled = await session.LoadAsync<HandledEscalation>(id, Ct);
            handled!.ReportedAt = null;
            session.Update(handled);
            await session.SaveChangesAsync(Ct);
        }
        using (var scope = _app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(tenant.TenantId, new ReportHandledEscalation(id), Ct);

        _stripe.ReceivedFor("/v1/billing/meter_events").Count(r => r.Field("identifier") == id.ToString()).ShouldBe(2, "sent again");
        _stripe.MeterEventsOf(customerId).ShouldHaveSingleItem("Stripe keeps one event per identifier");
    }

    [Fact]
    public async Task A_free_tenants_usage_is_counted_for_its_page_and_nothing_is_sent_to_Stripe()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        var id = await HandledEscalationAsync(tenant);

        await EventuallyAsync(() => UsageAsync(owner), u => u.GetProperty("handled").GetInt32() == 1, "the usage");
        _stripe.ReceivedFor("/v1/billing/meter_events").ShouldNotContain(r => r.Field("identifier") == id);
        _stripe.CustomersOf(tenant.TenantId).ShouldBeEmpty("usage alone makes no Stripe customer");
    }

    [Fact]
    public async Task An_escalation_no_human_touched_is_not_counted_and_another_tenants_usage_is_its_own()
    {
        var quiet = await _app.NewTenantAsync();
        var busy = await _app.NewTenantAsync();
        using var quietOwner = await _app.SignedInClientAsync(quiet.OwnerEmail, quiet.OwnerPassword);
        using var busyOwner = await _app.SignedInClientAsync(busy.OwnerEmail, busy.OwnerPassword);
        using (var agent = _app.CreateHttpClient(quiet.ApiKey))
        {
            var untouched = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;
            await agent.ActOkAsync(untouched, "cancel", new { reason = "The customer found the answer." });
        }

        await HandledEscalationAsync(busy);

        await EventuallyAsync(() => UsageAsync(busyOwner), u => u.GetProperty("handled").GetInt32() == 1, "the busy tenant's usage");
        (await UsageAsync(quietOwner)).GetProperty("handled").GetInt32().ShouldBe(0);
    }
}
