using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Webhooks;

public class WebhookFeedRestartTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    static string EscalationIdOf(ReceivedWebhook webhook) =>
        JsonDocument.Parse(webhook.Body).RootElement.GetProperty("data").GetProperty("escalation_id").GetString()!;

    [Fact]
    public async Task Events_appended_while_no_server_runs_are_delivered_after_the_restart_and_nothing_twice()
    {
        var database = await TestPostgres.CreateDatabaseAsync("webhooks_restart");
        using var agent = new FakeAgent();
        TestTenantAccount tenant;
        string first;
        var second = Guid.CreateVersion7();

        var before = await AwaitHumanApp.StartAsync(database);
        try
        {
            tenant = await before.NewTenantAsync();
            using var owner = before.CreateHttpClient(tenant.ApiKey);
            using var created = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url = agent.Url, event_types = new[] { "escalation.opened" } }, Ct);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            first = (await owner.OpenEscalationAsync()).GetProperty("id").GetString()!;
            EscalationIdOf((await agent.ReceivedAsync(1, Patience)).Single()).ShouldBe(first);

            // Stopped: no feed, no handlers. An escalation opened now is in the event store only.
            await before.StopAsync();
            await using var session = before.Store.LightweightSession(tenant.TenantId);
            session.Events.StartStream<Escalation>(second, new EscalationOpened(second, "handoff", "refund_dispute", "Opened while the servers were down.",
                null, "normal", null, new Customer("Ada", null, null, null, "agent", null), [], null, null, null, null, null,
                new Participant("api_key", null, "support-bot"), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync(Ct);
        }
        finally
        {
            await before.DisposeAsync();
        }

        await using var after = await AwaitHumanApp.StartAsync(database);
        var received = await agent.ReceivedAsync(2, Patience);

        // A replay from an earlier position would have sent the first one again, before the second.
        received.Select(EscalationIdOf).ShouldBe([first, second.ToString()]);
        received.Select(webhook => webhook.Id).Distinct().Count().ShouldBe(2);
    }
}
