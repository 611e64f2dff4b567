using System.Net;
using System.Net.Http.Json;
using System.Text;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Wolverine.Tracking;

namespace AwaitHuman.Server.Tests.Billing;

/// <summary>The billing steps several test classes take: an owner who paid through Checkout, and Stripe calling the webhook.</summary>
static class BillingScenarios
{
    public const string StripeWebhookPath = "/webhooks/stripe";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tenant whose owner went through Checkout and paid: the session completed, its subscription exists in Stripe.</summary>
    public static async Task<(TestTenantAccount Tenant, HttpClient Owner, string SessionId, string SubscriptionId)> PaidCheckoutAsync(this AwaitHumanApp app, int seats = 3)
    {
        var tenant = await app.NewTenantAsync();
        var owner = await app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        using var response = await owner.PostAsJsonAsync("/v1/billing/checkout", new { plan = "team", seats }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var sessionId = new Uri((await response.JsonAsync()).GetProperty("url").GetString()!).Segments[^1];
        return (tenant, owner, sessionId, StripeApiFake.Shared.CompleteCheckout(sessionId));
    }

    /// <summary>Posts a webhook as Stripe would and waits until everything it set off has been handled.</summary>
    public static async Task<HttpStatusCode> DeliverStripeEventAsync(this AwaitHumanApp app, string payload, string? signature)
    {
        using var client = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, StripeWebhookPath) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("Stripe-Signature", signature);
        HttpStatusCode status = default;
        await app.Host.TrackActivity(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
        {
            using var response = await client.SendAsync(request, Ct);
            status = response.StatusCode;
            if (status != HttpStatusCode.OK) TestContext.Current.SendDiagnosticMessage($"{(int)status}: {await response.Content.ReadAsStringAsync(Ct)}");
        }));
        return status;
    }

    public static Task<HttpStatusCode> DeliverSignedStripeEventAsync(this AwaitHumanApp app, string payload) =>
        app.DeliverStripeEventAsync(payload, StripeWebhookSigner.Sign(payload, StripeApiFake.WebhookSecret, DateTimeOffset.UtcNow));
}
