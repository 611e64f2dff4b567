using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Webhooks;
using AwaitHuman.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Server.Tests.Webhooks;

/// <summary>A server with the production rule (<c>Webhooks:AllowPrivateNetworks</c> off), on a database of its own.</summary>
public sealed class ProductionNetworkRules : IAsyncLifetime
{
    public AwaitHumanApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        App = await AwaitHumanApp.StartAsync(
            await TestPostgres.CreateDatabaseAsync("webhooks_ssrf"),
            settings: new Dictionary<string, string> { ["Webhooks:AllowPrivateNetworks"] = "false" });

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

public class PrivateNetworkRulesTests(ProductionNetworkRules server, ServerTestsHost host) : IClassFixture<ProductionNetworkRules>
{
    readonly AwaitHumanApp _app = server.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tests_run_in_development_where_private_networks_are_allowed_and_this_server_has_them_off()
    {
        host.App.Services.GetRequiredService<IHostEnvironment>().IsDevelopment().ShouldBeTrue();
        host.App.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks.ShouldBeTrue();
        _app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks.ShouldBeFalse();
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("http://agent.example/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:192.168.0.1]/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://100.64.1.1/hooks")]
    public async Task Loopback_private_and_plain_http_urls_are_a_400_naming_url_and_store_nothing(string url)
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url, event_types = new[] { "*" } }, Ct);

        await response.ShouldBeInvalidAsync("url");
        using var list = await owner.GetAsync("/v1/webhook-endpoints", Ct);
        (await list.JsonAsync()).Items().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_endpoint_cannot_be_moved_onto_a_private_address()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        // A public literal address: accepted without asking DNS.
        using var created = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://8.8.8.8/hooks", event_types = new[] { "*" } }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        using var moved = await owner.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { url = "https://192.168.1.20/hooks" }, Ct);

        await moved.ShouldBeInvalidAsync("url");
        (await (await owner.GetAsync($"/v1/webhook-endpoints/{id}", Ct)).JsonAsync()).GetProperty("url").GetString().ShouldBe("https://8.8.8.8/hooks");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task The_webhook_client_refuses_to_connect_to_a_private_address_whatever_the_url_says(string host)
    {
        using var agent = new FakeAgent();
        var url = new UriBuilder(agent.Url) { Host = host }.Uri;
        var client = _app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookHttp.ClientName);

        var refused = await Should.ThrowAsync<HttpRequestException>(() => client.PostAsync(url, new StringContent("{}"), Ct));

        var message = refused.InnerException.ShouldBeOfType<RefusedAddressException>().Message;
        message.ShouldContain("not allowed");
        // Only what the url said: the addresses a name resolves to stay unsaid.
        if (host == "localhost") foreach (var address in await Dns.GetHostAddressesAsync(host, Ct)) message.ShouldNotContain(address.ToString());
        agent.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Refusing_a_name_that_resolves_inside_reveals_neither_its_addresses_nor_this_servers_interfaces()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        // The machine's own name resolves to its interfaces (loopback and private ones on a test machine).
        var name = Dns.GetHostName();
        var addresses = (await Dns.GetHostAddressesAsync(name, Ct)).Select(address => address.ToString()).ToArray();
        addresses.ShouldNotBeEmpty();

        using var response = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url = $"https://{name}/hooks", event_types = new[] { "*" } }, Ct);

        await response.ShouldBeInvalidAsync("url");
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldContain("not allowed");
        foreach (var address in addresses) body.ShouldNotContain(address);
    }

    [Fact]
    public async Task A_delivery_to_a_name_that_now_points_inside_is_logged_as_refused_and_never_sent()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = new FakeAgent();
        // As if the URL had passed registration and its name had been re-pointed at the loopback since.
        var id = Guid.CreateVersion7();
        var secret = WebhookSignatures.NewSecret();
        var protector = _app.Services.GetRequiredService<WebhookSecretProtector>();
        await using (var session = _app.Store.LightweightSession(tenant.TenantId))
        {
            session.Events.StartStream<WebhookEndpoint>(id, new WebhookEndpointCreated(id, agent.Url, ["*"], null,
                protector.Protect(tenant.TenantId, secret), WebhookSignatures.Hint(secret), Actor.Platform("tests"), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync(Ct);
        }

        await _app.Host.PublishForTenantAndWaitAsync(tenant.TenantId,
            new PublishWebhookEvent("escalation.opened", Guid.CreateVersion7(), DateTimeOffset.UtcNow, JsonSerializer.SerializeToElement(new { reason = "test" })));

        agent.Received.ShouldBeEmpty();
        await using var query = _app.Store.QuerySession(tenant.TenantId);
        var delivery = await query.Query<WebhookDelivery>().SingleAsync(Ct);
        var attempt = delivery.Attempts.ShouldHaveSingleItem();
        attempt.StatusCode.ShouldBeNull();
        attempt.Error!.ShouldContain("Refused to connect to 127.0.0.1");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Pending);
        delivery.NextAttemptAt.ShouldNotBeNull();
    }
}
