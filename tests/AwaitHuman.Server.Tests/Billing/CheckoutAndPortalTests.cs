using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Core.Billing;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Server.Tests.Billing;

public class CheckoutAndPortalTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    readonly StripeApiFake _stripe = StripeApiFake.Shared;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Checkout_makes_the_tenants_customer_once_and_a_subscription_session_with_seats_and_the_metered_price()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        using var first = await owner.PostAsJsonAsync("/v1/billing/checkout", new { plan = "team", seats = 3 }, Ct);
        using var second = await owner.PostAsJsonAsync("/v1/billing/checkout", new { plan = "business" }, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync(Ct));
        second.StatusCode.ShouldBe(HttpStatusCode.OK, await second.Content.ReadAsStringAsync(Ct));
        var url = new Uri((await first.JsonAsync()).GetProperty("url").GetString()!);
        url.GetLeftPart(UriPartial.Authority).ShouldBe(_stripe.BaseUrl.GetLeftPart(UriPartial.Authority));
        var sessionId = url.Segments[^1];

        var customer = _stripe.CustomersOf(tenant.TenantId).ShouldHaveSingleItem("one customer per tenant, made on first need");
        var customerId = customer["id"]!.GetValue<string>();
        customer["email"]!.GetValue<string>().ShouldBe(tenant.OwnerEmail);
        var customerCreate = _stripe.ReceivedFor("/v1/customers").Single(request => request.Field($"metadata[{StripeGateway.TenantMetadataKey}]") == tenant.TenantId);
        customerCreate.IdempotencyKey.ShouldBe($"customer-{tenant.TenantId}");
        customerCreate.Authorization.ShouldBe($"Bearer {StripeApiFake.SecretKey}");
        customerCreate.StripeVersion.ShouldBe(Stripe.StripeConfiguration.ApiVersion);
        customerCreate.ContentType.ShouldStartWith("application/x-www-form-urlencoded");

        var sessions = _stripe.ReceivedFor("/v1/checkout/sessions").Where(request => request.Field("customer") == customerId).ToArray();
        sessions.Length.ShouldBe(2);
        sessions.Select(request => request.IdempotencyKey).Distinct().Count().ShouldBe(2, "each click is its own session");
        var team = sessions[0];
        team.Status.ShouldBe(200);
        team.Field("mode").ShouldBe("subscription");
        team.Field("client_reference_id").ShouldBe(tenant.TenantId);
        team.Field("line_items[0][price]").ShouldBe("price_team_seat");
        team.Field("line_items[0][quantity]").ShouldBe("3");
        team.Field("line_items[1][price]").ShouldBe("price_team_escalation");
        team.Field("line_items[1][quantity]").ShouldBeNull();
        team.Field("success_url").ShouldBe(new Uri(_app.Address, "admin/billing?checkout=done").ToString());
        team.Field($"subscription_data[metadata][{StripeGateway.TenantMetadataKey}]").ShouldBe(tenant.TenantId);
        _stripe.CheckoutLineItems(sessionId)!.Count.ShouldBe(2);
        sessions[1].Field("line_items[0][quantity]").ShouldBe("20", "a plan's included seats when none are asked for");

        var billing = await BillingAsync(owner);
        billing.GetProperty("has_stripe_customer").GetBoolean().ShouldBeTrue();
        billing.GetProperty("plan").GetProperty("id").GetString().ShouldBe("free", "nothing is paid until Stripe says so");
    }

    [Fact]
    public async Task The_customer_portal_opens_for_the_tenants_customer_and_returns_to_the_billing_page()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        using var response = await owner.PostAsync("/v1/billing/portal", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        (await response.JsonAsync()).GetProperty("url").GetString()!.ShouldStartWith(new Uri(_stripe.BaseUrl, "portal/bps_").ToString());
        var customerId = _stripe.CustomersOf(tenant.TenantId).ShouldHaveSingleItem()["id"]!.GetValue<string>();
        var portal = _stripe.ReceivedFor("/v1/billing_portal/sessions").Single(request => request.Field("customer") == customerId);
        portal.Field("return_url").ShouldBe(new Uri(_app.Address, "admin/billing").ToString());
        portal.IdempotencyKey.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("""{"plan":"gold","seats":3}""", "plan")]
    [InlineData("""{"plan":"free","seats":3}""", "plan")]
    [InlineData("""{"seats":3}""", "plan")]
    [InlineData("""{"plan":"team","seats":0}""", "seats")]
    [InlineData("""{"plan":"team","seats":10001}""", "seats")]
    public async Task A_bad_checkout_names_the_field_and_asks_nothing_of_Stripe(string body, string field)
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        using var response = await owner.PostAsync("/v1/billing/checkout", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        _stripe.CustomersOf(tenant.TenantId).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fewer_seats_than_members_are_refused()
    {
        var tenant = await _app.NewTenantAsync();
        await _app.NewMemberAsync(tenant, "operator");
        await _app.NewMemberAsync(tenant, "operator");
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        using var response = await owner.PostAsJsonAsync("/v1/billing/checkout", new { plan = "team", seats = 2 }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").GetProperty("seats")[0].GetString()!.ShouldContain("3 members");
        _stripe.CustomersOf(tenant.TenantId).ShouldBeEmpty();
    }

    [Fact]
    public async Task Only_an_owner_reaches_billing()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var asAdmin = _app.CreateHttpClient(admin.Token);
        using var asKey = _app.CreateHttpClient(tenant.ApiKey);
        using var anonymous = _app.CreateHttpClient();

        foreach (var client in new[] { asAdmin, asKey })
        {
            (await client.GetAsync("/v1/billing", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "team", seats = 3 }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PostAsync("/v1/billing/portal", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await anonymous.PostAsync("/v1/billing/portal", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _stripe.CustomersOf(tenant.TenantId).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_tenant_starts_on_the_configured_plan_with_its_seats()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        var billing = await BillingAsync(owner);

        billing.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        billing.GetProperty("plan").GetProperty("id").GetString().ShouldBe("free");
        billing.GetProperty("seats_used").GetInt32().ShouldBe(1);
        billing.GetProperty("seats_paid").GetInt32().ShouldBe(25);
        billing.GetProperty("has_stripe_customer").GetBoolean().ShouldBeFalse();
        await using var session = _app.Store.QuerySession(tenant.TenantId);
        (await session.Events.FetchStreamAsync(BillingAccount.StreamIdOf(Guid.Parse(tenant.TenantId)), token: Ct))
            .Select(e => e.Data).ShouldHaveSingleItem().ShouldBeOfType<BillingStarted>().PlanId.ShouldBe("free");
    }

    internal static async Task<JsonElement> BillingAsync(HttpClient owner)
    {
        using var response = await owner.GetAsync("/v1/billing", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }
}
