using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AwaitHuman.Connectors.SendGrid.Events;
using AwaitHuman.Connectors.SendGrid.Tests.Inbound;

namespace AwaitHuman.Connectors.SendGrid.Tests.Webhooks;

/// <summary>The webhook endpoints over HTTP: authenticated before anything reaches the inbox.</summary>
public sealed class SendGridWebhooksTests : IAsyncLifetime
{
    private readonly FixedTime time = new(DateTimeOffset.UtcNow);
    private readonly EventKeys.Signer signer = new();
    private ChannelConnection connection = null!;
    private WebhookHost host = null!;

    public async ValueTask InitializeAsync()
    {
        connection = TestConnections.SendGrid(publicKey: signer.PublicKey);
        host = await WebhookHost.StartAsync(time, connection);
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        signer.Dispose();
    }

    private async Task<HttpResponseMessage> PostInboundAsync(InboundParsePost post, string? credentials, Guid? connectionId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/connectors/sendgrid/{connectionId ?? connection.Id}/inbound") { Content = post.ToContent() };
        if (credentials is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpResponseMessage> PostEventsAsync(string json, Func<string, byte[], (string? Signature, string? Timestamp)> sign)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var (signature, timestamp) = sign(time.Now.ToUnixTimeSeconds().ToString(), body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/connectors/sendgrid/{connection.Id}/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
            request.Headers.Add(EventWebhookSignature.SignatureHeader, signature);
        if (timestamp is not null)
            request.Headers.Add(EventWebhookSignature.TimestampHeader, timestamp);
        return await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private const string Delivered = """[{"email":"jane@customer.example","timestamp":1772445600,"event":"delivered","sg_event_id":"ev-1","sg_message_id":"sg-1.filter","message_id":"0195a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"}]""";

    [Fact]
    public async Task Inbound_Parse_with_the_connections_credentials_reaches_the_inbox()
    {
        var escalation = Guid.CreateVersion7();

        var response = await PostInboundAsync(new InboundParsePost { To = ReplyAddresses.For(escalation, TestConnections.InboundDomain, TestConnections.ReplyKey) },
            $"sendgrid:{TestConnections.ParsePassword}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var message = host.Inbox.Received.ShouldHaveSingleItem();
        message.EscalationId.ShouldBe(escalation);
        message.Text.ShouldBe("Thanks!");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sendgrid:wrong-password-0123456789abcdef")]
    [InlineData("admin:" + TestConnections.ParsePassword)]
    public async Task Inbound_Parse_without_the_right_credentials_is_403_and_nothing_is_stored(string? credentials)
    {
        var response = await PostInboundAsync(new InboundParsePost(), credentials);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        host.Inbox.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Inbound_Parse_for_an_unknown_connection_is_403()
    {
        var response = await PostInboundAsync(new InboundParsePost(), $"sendgrid:{TestConnections.ParsePassword}", Guid.CreateVersion7());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        host.Inbox.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_forged_reply_address_is_answered_200_and_nothing_is_stored()
    {
        var response = await PostInboundAsync(new InboundParsePost { To = $"reply+{Guid.CreateVersion7():N}.00000000000000000000@{TestConnections.InboundDomain}" },
            $"sendgrid:{TestConnections.ParsePassword}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        host.Inbox.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_signed_event_batch_is_reported_and_a_repeat_reported_once()
    {
        (await PostEventsAsync(Delivered, (ts, body) => (signer.Sign(ts, body), ts))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PostEventsAsync(Delivered, (ts, body) => (signer.Sign(ts, body), ts))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var report = host.Inbox.Reports.ShouldHaveSingleItem();
        report.State.ShouldBe(DeliveryStates.Delivered);
        report.ProviderEventId.ShouldBe("ev-1");
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_and_stale_event_posts_are_403_and_report_nothing()
    {
        using var stranger = new EventKeys.Signer();
        var stale = time.Now.AddHours(-1).ToUnixTimeSeconds().ToString();

        (await PostEventsAsync(Delivered, (_, _) => (null, null))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostEventsAsync(Delivered, (ts, body) => (stranger.Sign(ts, body), ts))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostEventsAsync(Delivered, (_, body) => (signer.Sign(stale, body), stale))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostEventsAsync(Delivered, (ts, _) => (signer.Sign(ts, Encoding.UTF8.GetBytes("[]")), ts))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        host.Inbox.Reports.ShouldBeEmpty();
    }
}
