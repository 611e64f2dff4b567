using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Billing;

/// <summary>The people with console access are at most the seats paid for; a pending invitation holds one.</summary>
public class SeatLimitTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The sandbox mailbox is shared by every test: each address is this test's own.</summary>
    readonly string _run = Guid.NewGuid().ToString("N")[..8];
    string Unique(string name) => $"{name}-{_run}@example.com";

    static Task<HttpResponseMessage> InviteAsync(HttpClient owner, string email) =>
        owner.PostAsJsonAsync("/v1/members", new { email, role = "operator" }, Ct);

    async Task<HttpClient> TeamWithThreeSeatsAsync()
    {
        var (_, owner, sessionId, _) = await _app.PaidCheckoutAsync(seats: 3);
        (await _app.DeliverSignedStripeEventAsync(StripeApiFake.Event("checkout.session.completed", StripeApiFake.Shared.CheckoutSession(sessionId)!))).ShouldBe(HttpStatusCode.OK);
        return owner;
    }

    [Fact]
    public async Task An_invitation_beyond_the_paid_seats_is_refused_with_where_to_add_seats_and_nothing_is_stored()
    {
        using var owner = await TeamWithThreeSeatsAsync();
        (await InviteAsync(owner, Unique("first"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await InviteAsync(owner, Unique("second"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var refused = await InviteAsync(owner, Unique("third"));

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync(Ct));
        var problem = await refused.JsonAsync();
        problem.GetProperty("detail").GetString().ShouldBe(
            "All 3 seats of the Team plan are taken (1 member and 2 pending invitations). " +
            "The owner can add seats on the billing page (/admin/billing), or remove a member or revoke an invitation first.");
        var pending = await owner.GetStringAsync("/v1/invitations", Ct);
        pending.ShouldNotContain(Unique("third"));
        (await _app.LatestSandboxEmailAsync(Unique("third"), "invitation")).ShouldBeNull("no mail for a refused invitation");
    }

    [Fact]
    public async Task Revoking_an_invitation_frees_its_seat()
    {
        using var owner = await TeamWithThreeSeatsAsync();
        (await InviteAsync(owner, Unique("first"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var second = await InviteAsync(owner, Unique("second"));
        var secondId = (await second.JsonAsync()).GetProperty("id").GetString();
        (await InviteAsync(owner, Unique("third"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await owner.DeleteAsync($"/v1/invitations/{secondId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await InviteAsync(owner, Unique("third"))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Accepting_is_refused_once_the_seats_shrank_below_the_members()
    {
        var (tenant, paidOwner, sessionId, subscriptionId) = await _app.PaidCheckoutAsync(seats: 3);
        using var owner = paidOwner;
        (await _app.DeliverSignedStripeEventAsync(StripeApiFake.Event("checkout.session.completed", StripeApiFake.Shared.CheckoutSession(sessionId)!))).ShouldBe(HttpStatusCode.OK);
        (await InviteAsync(owner, Unique("late"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await _app.NewMemberAsync(tenant, "operator");
        // The owner lowers the seats to the two members in the customer portal.
        StripeApiFake.Shared.ChangeSubscription(subscriptionId, seats: 2);
        (await _app.DeliverSignedStripeEventAsync(StripeApiFake.Event("customer.subscription.updated", StripeApiFake.Shared.Subscription(subscriptionId)!))).ShouldBe(HttpStatusCode.OK);

        using var anonymous = _app.CreateHttpClient();
        using var accepted = await anonymous.PostAsJsonAsync("/v1/invitations/accept",
            new { token = await _app.InvitationTokenAsync(Unique("late")), name = "Late Comer", password = TestTenants.Password }, Ct);

        accepted.StatusCode.ShouldBe(HttpStatusCode.Conflict, await accepted.Content.ReadAsStringAsync(Ct));
        (await accepted.JsonAsync()).GetProperty("detail").GetString()!.ShouldStartWith("All 2 seats of the Team plan are taken (2 members)");
        (await owner.GetStringAsync("/v1/members", Ct)).ShouldNotContain(Unique("late"));
    }

    [Fact]
    public async Task A_first_single_sign_on_takes_a_seat_and_is_refused_when_none_is_free()
    {
        var (tenant, paidOwner, sessionId, _) = await _app.PaidCheckoutAsync(seats: 1);
        using var owner = paidOwner;
        (await _app.DeliverSignedStripeEventAsync(StripeApiFake.Event("checkout.session.completed", StripeApiFake.Shared.CheckoutSession(sessionId)!))).ShouldBe(HttpStatusCode.OK);
        Tenant company;
        await using (var query = _app.Store.QuerySession())
            company = (await query.FindByIdAcrossTenantsAsync(Guid.Parse(tenant.TenantId), Ct))!;
        var connection = new SsoConnection { TenantId = tenant.TenantId, Issuer = "https://idp.example.test", ClientId = "awaithuman", Domains = ["example.com"] };
        var email = Unique("sso");

        await using var scope = _app.Services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<SsoProvisioning>()
            .PersonForAsync(company, connection, email, "Sam Single", new Actor("sso", "sub-1", email, null), Ct);

        found.Succeeded.ShouldBeFalse();
        found.Failure.ShouldBeOfType<Failure.Conflict>().Message.ShouldStartWith("The 1 seat of the Team plan is taken (1 member)");
        (await _app.FindPersonAsync(email)).ShouldBeNull("nothing of a refused person is stored");
    }
}
