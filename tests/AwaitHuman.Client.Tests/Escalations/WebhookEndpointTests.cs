using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AwaitHuman.Client.Webhooks;
using AwaitHuman.Testing;

namespace AwaitHuman.Client.Tests.Escalations;

[Collection(nameof(RealServer))]
public class WebhookEndpointTests(ClientTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_endpoint_the_sdk_registers_receives_deliveries_its_secret_verifies()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        using var receiver = new WebhookReceiver();

        var endpoint = await agent.CreateWebhookEndpointAsync(
            new NewWebhookEndpoint { Url = receiver.Url, EventTypes = ["escalation.cancelled"], Description = "sdk test" }, Ct);
        endpoint.Secret.ShouldStartWith("whsec_");
        endpoint.Status.ShouldBe(WebhookEndpointStatus.Enabled);
        (await agent.ListWebhookEndpointsAsync(cancellationToken: Ct)).Items.Select(e => e.Id).ShouldContain(endpoint.Id);

        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        await agent.CancelAsync(created.Id, "solved itself", Ct);
        var (body, headers) = await receiver.NextAsync(TimeSpan.FromMinutes(1));

        var webhook = new WebhookVerifier(endpoint.Secret).Verify(body, name => headers.GetValueOrDefault(name));
        webhook.Type.ShouldBe("escalation.cancelled");
        webhook.EscalationId.ShouldBe(created.Id);
        webhook.HandBack!.Outcome.ShouldBe(HandBackOutcome.Cancelled);
    }

    [Fact]
    public async Task The_sdk_rotates_changes_disables_and_deletes_an_endpoint()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var endpoint = await agent.CreateWebhookEndpointAsync(
            new NewWebhookEndpoint { Url = new Uri("http://127.0.0.1:9/hooks"), EventTypes = ["*"] }, Ct);

        var rotated = await agent.RotateWebhookSecretAsync(endpoint.Id, TimeSpan.FromHours(1), Ct);
        rotated.Secret.ShouldNotBe(endpoint.Secret);
        rotated.PreviousSecretExpiresAt.ShouldNotBeNull();
        (await agent.UpdateWebhookEndpointAsync(endpoint.Id, new WebhookEndpointChanges { Description = "renamed" }, Ct)).Description.ShouldBe("renamed");
        (await agent.DisableWebhookEndpointAsync(endpoint.Id, "maintenance", Ct)).Status.ShouldBe(WebhookEndpointStatus.Disabled);
        await Should.ThrowAsync<AwaitHumanConflictException>(() => agent.SendTestWebhookAsync(endpoint.Id, Ct));
        (await agent.EnableWebhookEndpointAsync(endpoint.Id, Ct)).Status.ShouldBe(WebhookEndpointStatus.Enabled);
        (await agent.SendTestWebhookAsync(endpoint.Id, Ct)).DeliveryId.ShouldNotBeNullOrEmpty();

        await agent.DeleteWebhookEndpointAsync(endpoint.Id, Ct);
        await Should.ThrowAsync<AwaitHumanNotFoundException>(() => agent.GetWebhookEndpointAsync(endpoint.Id, Ct));
    }

    [Fact]
    public async Task Endpoints_page_like_every_list_one_page_or_all()
    {
        var agent = _app.Agent((await _app.NewTenantAsync()).ApiKey);
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
            created.Add((await agent.CreateWebhookEndpointAsync(new NewWebhookEndpoint { Url = new Uri($"http://127.0.0.1:9/hooks/{i}"), EventTypes = ["*"] }, Ct)).Id);

        var paged = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await agent.ListWebhookEndpointsAsync(cursor, limit: 1, Ct);
            paged.Add(page.Items.ShouldHaveSingleItem().Id);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        paged.ShouldBe(Enumerable.Reverse(created), "newest first, each once");
        var all = new List<Guid>();
        await foreach (var endpoint in agent.ListAllWebhookEndpointsAsync(Ct)) all.Add(endpoint.Id);
        all.ShouldBe(paged);
        (await Should.ThrowAsync<AwaitHumanValidationException>(() => agent.ListWebhookEndpointsAsync(limit: 0, cancellationToken: Ct))).Errors.Keys.ShouldBe(["limit"]);
        (await Should.ThrowAsync<AwaitHumanValidationException>(() => agent.ListWebhookEndpointsAsync("not-a-cursor!", cancellationToken: Ct))).Errors.Keys.ShouldBe(["cursor"]);
    }

    [Fact]
    public async Task A_refused_endpoint_names_the_field_and_nothing_is_registered()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);

        var refused = await Should.ThrowAsync<AwaitHumanValidationException>(() => agent.CreateWebhookEndpointAsync(
            new NewWebhookEndpoint { Url = new Uri("http://127.0.0.1:9/hooks"), EventTypes = ["escalation.exploded"] }, Ct));

        refused.Errors.Keys.ShouldContain("event_types");
        (await agent.ListWebhookEndpointsAsync(cancellationToken: Ct)).Items.ShouldBeEmpty();
    }

    /// <summary>The agent's own server: answers 204 to every webhook and keeps what came.</summary>
    sealed class WebhookReceiver : IDisposable
    {
        readonly HttpListener _listener = new();
        readonly BlockingCollection<(string Body, Dictionary<string, string> Headers)> _received = [];

        public WebhookReceiver()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = new Uri($"http://127.0.0.1:{port}/hooks/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = Task.Run(ReceiveAsync);
        }

        public Uri Url { get; }

        public Task<(string Body, Dictionary<string, string> Headers)> NextAsync(TimeSpan limit) =>
            Task.Run(() => _received.TryTake(out var next, limit) ? next : throw new TimeoutException($"No webhook within {limit}."));

        async Task ReceiveAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(key => key.ToLowerInvariant(), key => context.Request.Headers[key]!);
                context.Response.StatusCode = 204;
                context.Response.Close();
                _received.Add((body, headers));
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _received.Dispose();
        }
    }
}
