using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AwaitHuman.Core.Webhooks;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Configuration;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace AwaitHuman.Server.Tests.Webhooks;

public class WebhookDeliveryTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    sealed record Registered(string Id, string Secret);

    static async Task<Registered> RegisterAsync(HttpClient owner, string url, params string[] eventTypes)
    {
        using var response = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url, event_types = eventTypes }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        return new Registered(body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    static async Task<JsonElement[]> DeliveriesAsync(HttpClient owner, string endpointId)
    {
        using var response = await owner.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    /// <summary>The endpoint's one delivery, once it is in <paramref name="status"/> with at least <paramref name="attempts"/> attempts.</summary>
    static async Task<JsonElement> DeliveryInStatusAsync(HttpClient owner, string endpointId, string status, int attempts = 1)
    {
        JsonElement found = default;
        await Eventually.HappensAsync(async () =>
        {
            var deliveries = await DeliveriesAsync(owner, endpointId);
            if (deliveries.Length != 1 || deliveries[0].GetProperty("status").GetString() != status
                || deliveries[0].GetProperty("attempts").GetArrayLength() < attempts) return false;
            found = deliveries[0];
            return true;
        }, Patience, $"the delivery {status} after {attempts} attempt(s) or more");
        return found;
    }

    static PublishWebhookEvent Resolved(Guid escalationId, DateTimeOffset at) =>
        new("escalation.resolved", escalationId, at,
            JsonSerializer.SerializeToElement(new { escalation_id = escalationId, hand_back = new { outcome = "resolved", must_not_claim = new[] { "a refund" } } }));

    Task<ITrackedSession> PublishAsync(TestTenantAccount tenant, PublishWebhookEvent published) =>
        _app.Host.PublishForTenantAndWaitAsync(tenant.TenantId, published);

    static int[] StatusCodesOf(JsonElement delivery) =>
        [.. delivery.GetProperty("attempts").EnumerateArray().Select(attempt => attempt.GetProperty("status_code").ValueKind == JsonValueKind.Null ? 0 : attempt.GetProperty("status_code").GetInt32())];

    [Fact]
    public async Task A_webhook_arrives_as_the_standard_webhooks_envelope_signed_with_the_endpoint_secret()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var endpoint = await RegisterAsync(owner, agent.Url, "escalation.resolved");
        var escalationId = Guid.CreateVersion7();
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);

        var tracked = await PublishAsync(tenant, Resolved(escalationId, at));

        var attempt = tracked.Executed.SingleEnvelope<DeliverWebhook>();
        attempt.TenantId.ShouldBe(tenant.TenantId);
        attempt.Destination.ShouldBe(new Uri("local://webhooks"));
        _app.Services.GetRequiredService<IWolverineRuntime>().Endpoints.EndpointFor(attempt.Destination!)!.Mode.ShouldBe(EndpointMode.Durable);
        var webhook = (await agent.ReceivedAsync(1)).Single();
        webhook.Path.ShouldBe("/hooks");
        webhook.Body.ShouldBe(
            $"{{\"type\":\"escalation.resolved\",\"timestamp\":\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z\",\"data\":" +
            $"{{\"escalation_id\":\"{escalationId}\",\"hand_back\":{{\"outcome\":\"resolved\",\"must_not_claim\":[\"a refund\"]}}}}}}");
        webhook.Id!.ShouldStartWith("msg_");
        long.Parse(webhook.Timestamp!).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        webhook.Signature.ShouldBe(StandardWebhooks.ExpectedSignature(endpoint.Secret, webhook.Id, webhook.Timestamp!, webhook.Body));
        webhook.IsSignedWith(WebhookSignatures.NewSecret()).ShouldBeFalse();
        webhook.ContentType.ShouldBe("application/json");
        webhook.UserAgent!.ShouldStartWith("AwaitHuman-Webhooks/");

        var delivery = await DeliveryInStatusAsync(owner, endpoint.Id, "delivered");
        delivery.GetProperty("id").GetString().ShouldBe(webhook.Id);
        delivery.GetProperty("event_type").GetString().ShouldBe("escalation.resolved");
        delivery.GetProperty("escalation_id").GetGuid().ShouldBe(escalationId);
        delivery.GetProperty("payload").GetProperty("data").GetProperty("hand_back").GetProperty("outcome").GetString().ShouldBe("resolved");
        var logged = delivery.GetProperty("attempts").EnumerateArray().Single();
        logged.GetProperty("status_code").GetInt32().ShouldBe(200);
        logged.GetProperty("trigger").GetString().ShouldBe("event");
        logged.GetProperty("response_excerpt").GetString().ShouldBe("thanks");
        logged.GetProperty("latency_ms").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Only_enabled_endpoints_subscribed_to_the_type_receive_it()
    {
        var tenant = await _app.NewTenantAsync();
        var otherTenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var stranger = _app.CreateHttpClient(otherTenant.ApiKey);
        using FakeAgent everything = new(), resolvedOnly = new(), openedOnly = new(), disabled = new(), deleted = new(), otherTenants = new();
        await RegisterAsync(owner, everything.Url, "*");
        await RegisterAsync(owner, resolvedOnly.Url, "escalation.resolved");
        await RegisterAsync(owner, openedOnly.Url, "escalation.opened");
        var disabledId = (await RegisterAsync(owner, disabled.Url, "*")).Id;
        var deletedId = (await RegisterAsync(owner, deleted.Url, "*")).Id;
        await RegisterAsync(stranger, otherTenants.Url, "*");
        (await owner.PostAsync($"/v1/webhook-endpoints/{disabledId}/disable", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await owner.DeleteAsync($"/v1/webhook-endpoints/{deletedId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // Tracking waits for the fan-out and every delivery attempt it started.
        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        everything.Received.Count.ShouldBe(1);
        resolvedOnly.Received.Count.ShouldBe(1);
        openedOnly.Received.ShouldBeEmpty();
        disabled.Received.ShouldBeEmpty();
        deleted.Received.ShouldBeEmpty();
        otherTenants.Received.ShouldBeEmpty();
        everything.Received[0].Id.ShouldNotBe(resolvedOnly.Received[0].Id);
    }

    [Fact]
    public async Task An_endpoint_gets_only_events_from_after_it_was_registered()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await RegisterAsync(owner, agent.Url, "*");

        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), before));
        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        var received = agent.Received.ShouldHaveSingleItem();
        JsonDocument.Parse(received.Body).RootElement.GetProperty("timestamp").GetDateTimeOffset().ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task Failures_are_retried_until_the_agent_answers_as_one_delivery_with_one_webhook_id()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        agent.AnswerNext(500, 500);
        var endpoint = await RegisterAsync(owner, agent.Url, "*");

        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        var delivery = await DeliveryInStatusAsync(owner, endpoint.Id, "delivered");
        StatusCodesOf(delivery).ShouldBe([500, 500, 200]);
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        attempts.Select(attempt => attempt.GetProperty("trigger").GetString()).ShouldBe(["event", "retry", "retry"]);
        attempts.Select(attempt => attempt.GetProperty("number").GetInt32()).ShouldBe([1, 2, 3]);
        attempts[0].GetProperty("response_excerpt").GetString().ShouldBe("the agent is down (500)");
        var received = agent.Received;
        received.Count.ShouldBe(3);
        received.Select(webhook => webhook.Id).Distinct().ShouldBe([delivery.GetProperty("id").GetString()]);
        received.ShouldAllBe(webhook => webhook.IsSignedWith(endpoint.Secret));
        received.Select(webhook => webhook.Body).Distinct().Count().ShouldBe(1);
        (await DeliveriesAsync(owner, endpoint.Id)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task During_a_rotation_overlap_both_secrets_sign_and_without_one_only_the_new_one()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var endpoint = await RegisterAsync(owner, agent.Url, "*");
        using var rotation = await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/rotate-secret", null, Ct);
        var newSecret = (await rotation.JsonAsync()).GetProperty("secret").GetString()!;

        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        var overlapping = (await agent.ReceivedAsync(1))[0];
        var signatures = overlapping.Signature!.Split(' ');
        signatures.Length.ShouldBe(2);
        signatures[0].ShouldBe(StandardWebhooks.ExpectedSignature(newSecret, overlapping.Id!, overlapping.Timestamp!, overlapping.Body));
        signatures[1].ShouldBe(StandardWebhooks.ExpectedSignature(endpoint.Secret, overlapping.Id!, overlapping.Timestamp!, overlapping.Body));

        using var immediate = await owner.PostAsJsonAsync($"/v1/webhook-endpoints/{endpoint.Id}/rotate-secret", new { overlap_seconds = 0 }, Ct);
        var latestSecret = (await immediate.JsonAsync()).GetProperty("secret").GetString()!;
        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        var after = (await agent.ReceivedAsync(2))[1];
        after.Signature.ShouldBe(StandardWebhooks.ExpectedSignature(latestSecret, after.Id!, after.Timestamp!, after.Body));
        after.IsSignedWith(newSecret).ShouldBeFalse();
        after.IsSignedWith(endpoint.Secret).ShouldBeFalse();
    }

    [Fact]
    public async Task The_sdk_verifier_accepts_what_the_server_sends_also_with_the_old_secret_during_an_overlap()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var endpoint = await RegisterAsync(owner, agent.Url, "escalation.resolved");
        var escalationId = Guid.CreateVersion7();
        await PublishAsync(tenant, Resolved(escalationId, DateTimeOffset.UtcNow));
        (await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/rotate-secret", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PublishAsync(tenant, Resolved(escalationId, DateTimeOffset.UtcNow));

        // An agent that has not picked the new secret up yet still verifies both.
        var verifier = new AwaitHuman.Client.Webhooks.WebhookVerifier(endpoint.Secret);
        var received = await agent.ReceivedAsync(2);
        foreach (var webhook in received)
        {
            var verified = verifier.Verify(Encoding.UTF8.GetBytes(webhook.Body), webhook.Id, webhook.Timestamp, webhook.Signature);
            verified.Type.ShouldBe("escalation.resolved");
            verified.EscalationId.ShouldBe(escalationId);
            verified.HandBack.ShouldNotBeNull();
        }
        Should.Throw<AwaitHuman.Client.Webhooks.WebhookVerificationException>(() =>
            new AwaitHuman.Client.Webhooks.WebhookVerifier(WebhookSignatures.NewSecret()).Verify(Encoding.UTF8.GetBytes(received[0].Body), received[0].Id, received[0].Timestamp, received[0].Signature));
    }

    [Fact]
    public async Task Redelivery_sends_the_same_webhook_id_again_freshly_signed()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var endpoint = await RegisterAsync(owner, agent.Url, "*");
        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));
        var first = await DeliveryInStatusAsync(owner, endpoint.Id, "delivered");
        var deliveryId = first.GetProperty("id").GetString()!;

        using var response = await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/deliveries/{deliveryId}/redeliver", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var received = await agent.ReceivedAsync(2);
        received.Select(webhook => webhook.Id).ShouldBe([deliveryId, deliveryId]);
        received[1].Body.ShouldBe(received[0].Body);
        received[1].IsSignedWith(endpoint.Secret).ShouldBeTrue();
        var again = await DeliveryInStatusAsync(owner, endpoint.Id, "delivered", attempts: 2);
        var attempts = again.GetProperty("attempts").EnumerateArray().ToArray();
        attempts[1].GetProperty("trigger").GetString().ShouldBe("redeliver");
        attempts[1].GetProperty("series").GetInt32().ShouldBe(2);

        using var unknown = await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/deliveries/msg_{Guid.NewGuid():N}/redeliver", null, Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Disabling_an_endpoint_cancels_the_retries_it_had_pending()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        agent.AnswerNext(503, 503, 503, 503);
        var endpoint = await RegisterAsync(owner, agent.Url, "*");
        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        (await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/disable", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The retry comes when Wolverine next polls its scheduled messages (every few seconds), after the disable.
        var cancelled = await DeliveryInStatusAsync(owner, endpoint.Id, "cancelled");
        cancelled.GetProperty("cancelled_because").GetString().ShouldBe("The endpoint is disabled.");
        cancelled.GetProperty("next_attempt_at").ValueKind.ShouldBe(JsonValueKind.Null);
        agent.Received.Count.ShouldBeLessThan(3);
        StatusCodesOf(cancelled).ShouldAllBe(status => status == 503);
    }

    [Fact]
    public async Task An_endpoint_whose_deliveries_keep_failing_is_disabled_with_an_event()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        agent.AnswerNext(500, 502, 500);
        var endpoint = await RegisterAsync(owner, agent.Url, "*");

        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));

        var failed = await DeliveryInStatusAsync(owner, endpoint.Id, "failed");
        StatusCodesOf(failed).ShouldBe([500, 502, 500]);
        failed.GetProperty("failed_at").ValueKind.ShouldBe(JsonValueKind.String);
        var shown = await (await owner.GetAsync($"/v1/webhook-endpoints/{endpoint.Id}", Ct)).JsonAsync();
        shown.GetProperty("status").GetString().ShouldBe("disabled");
        shown.GetProperty("disabled_reason").GetString()!.ShouldContain(failed.GetProperty("id").GetString()!);
        var audit = await (await owner.GetAsync("/v1/audit", Ct)).JsonAsync();
        var disabling = audit.GetProperty("items").EnumerateArray().First(entry => entry.GetProperty("action").GetString() == "webhook_endpoint.disabled");
        disabling.GetProperty("actor").GetProperty("kind").GetString().ShouldBe("system");

        await PublishAsync(tenant, Resolved(Guid.CreateVersion7(), DateTimeOffset.UtcNow));
        agent.Received.Count.ShouldBe(3);
        (await DeliveriesAsync(owner, endpoint.Id)).Length.ShouldBe(1);

        // Enabled again, the missed delivery can be sent by hand.
        (await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/enable", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var redeliver = await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/deliveries/{failed.GetProperty("id").GetString()}/redeliver", null, Ct);
        redeliver.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await DeliveryInStatusAsync(owner, endpoint.Id, "delivered", attempts: 4)).GetProperty("attempts").GetArrayLength().ShouldBe(4);
    }

    [Fact]
    public async Task The_test_event_goes_to_that_endpoint_whatever_it_subscribes_to()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var endpoint = await RegisterAsync(owner, agent.Url, "escalation.opened");

        using var response = await owner.PostAsync($"/v1/webhook-endpoints/{endpoint.Id}/test", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var deliveryId = (await response.JsonAsync()).GetProperty("delivery_id").GetString()!;
        var webhook = (await agent.ReceivedAsync(1)).Single();
        webhook.Id.ShouldBe(deliveryId);
        webhook.IsSignedWith(endpoint.Secret).ShouldBeTrue();
        using var body = JsonDocument.Parse(webhook.Body);
        body.RootElement.GetProperty("type").GetString().ShouldBe("webhook.test");
        body.RootElement.GetProperty("data").GetProperty("endpoint_id").GetString().ShouldBe(endpoint.Id);
    }

    [Fact]
    public async Task Opening_an_escalation_delivers_escalation_opened_to_the_agent()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var agent = new FakeAgent();
        var endpoint = await RegisterAsync(owner, agent.Url, "escalation.opened", "escalation.cancelled");

        var opened = await owner.OpenEscalationAsync();

        // The feed runs once the leader has assigned it, seconds after the host starts.
        var webhook = (await agent.ReceivedAsync(1, Patience)).Single();
        webhook.IsSignedWith(endpoint.Secret).ShouldBeTrue();
        using var body = JsonDocument.Parse(webhook.Body);
        body.RootElement.GetProperty("type").GetString().ShouldBe("escalation.opened");
        var data = body.RootElement.GetProperty("data");
        data.GetProperty("escalation_id").GetString().ShouldBe(opened.GetProperty("id").GetString());
        data.GetProperty("reason").GetString().ShouldBe("refund_dispute");
        var delivery = await DeliveryInStatusAsync(owner, endpoint.Id, "delivered");
        delivery.GetProperty("escalation_id").GetString().ShouldBe(opened.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Every_escalation_event_carries_its_sequence_within_the_escalation_so_receivers_can_order_them()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        using var agent = new FakeAgent();
        await RegisterAsync(owner, agent.Url, "escalation.opened", "escalation.claimed", "escalation.resolved");

        var id = (await owner.OpenEscalationAsync()).GetProperty("id").GetString()!;
        await human.ActOkAsync(id, "claim");
        await human.ActOkAsync(id, "resolve", new { outcome = "resolved", resolution = new { summary = "Done." } });

        var received = (await agent.ReceivedAsync(3, Patience))
            .Select(webhook => JsonDocument.Parse(webhook.Body).RootElement)
            .Where(body => body.GetProperty("data").GetProperty("escalation_id").GetString() == id)
            .ToList();
        // Whatever order they arrived in, the sequence puts them in the order they happened.
        var ordered = received.OrderBy(body => body.GetProperty("sequence").GetInt64()).Select(body => body.GetProperty("type").GetString()).ToList();
        ordered.ShouldBe(["escalation.opened", "escalation.claimed", "escalation.resolved"]);
        received.Select(body => body.GetProperty("sequence").GetInt64()).Distinct().Count().ShouldBe(3);
    }
}
