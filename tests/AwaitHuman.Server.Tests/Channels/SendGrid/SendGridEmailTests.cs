using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Connectors;
using AwaitHuman.Connectors.SendGrid;
using AwaitHuman.Connectors.SendGrid.Events;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Server.Tests.Channels.SendGrid;

/// <summary>
/// Email end to end: the operator's reply through the outbox to a fake SendGrid, the customer's
/// answer back through Inbound Parse, delivery states through the signed Event Webhook.
/// </summary>
public sealed class SendGridEmailTests(ServerTestsHost host) : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    readonly ECDsa _eventKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    readonly string _apiKey = $"SG.{Guid.NewGuid():N}";
    readonly string _parsePassword = $"parse-{Guid.NewGuid():N}";
    readonly string _replyKey = $"reply-{Guid.NewGuid():N}";
    readonly string _inboundDomain = $"r{Guid.NewGuid():N}"[..12] + ".reply.test";
    readonly string _customer = $"jane-{Guid.NewGuid():N}@customer.test";
    TestTenantAccount _tenant = null!;
    HttpClient _agent = null!;
    HttpClient _operator = null!;
    string _connectionId = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = await host.App.NewTenantAsync();
        _agent = host.App.CreateHttpClient(_tenant.ApiKey);
        _operator = host.App.CreateHttpClient((await host.App.NewMemberAsync(_tenant, "operator")).Token);
        using var admin = host.App.CreateHttpClient((await host.App.NewMemberAsync(_tenant, "admin")).Token);
        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "sendgrid",
            name = "Support email",
            channels = new[] { "email" },
            settings = new Dictionary<string, string>
            {
                ["from_email"] = "support@acme.test",
                ["from_name"] = "Acme Support",
                ["inbound_domain"] = _inboundDomain,
                ["event_webhook_public_key"] = Convert.ToBase64String(_eventKey.ExportSubjectPublicKeyInfo()),
            },
            secrets = new Dictionary<string, string> { ["api_key"] = _apiKey, ["inbound_parse_password"] = _parsePassword, ["reply_address_key"] = _replyKey },
        }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var connection = await created.JsonAsync();
        _connectionId = connection.GetProperty("id").GetString()!;
        connection.GetProperty("webhook_urls").GetProperty("inbound").GetString().ShouldEndWith($"/connectors/sendgrid/{_connectionId}/inbound");
        connection.GetProperty("webhook_urls").GetProperty("events").GetString().ShouldEndWith($"/connectors/sendgrid/{_connectionId}/events");
    }

    public ValueTask DisposeAsync()
    {
        _agent.Dispose();
        _operator.Dispose();
        _eventKey.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_email_thread_goes_round_operator_to_customer_and_back()
    {
        var id = await OpenEmailEscalationAsync();

        await _operator.ActOkAsync(id, "reply", new { content = "We refunded the second charge." });

        var first = await SentEmailsAsync(id, 1);
        var request = first.Single();
        request.Path.ShouldBe("/v3/mail/send");
        request.Headers!["Authorization"].ShouldBe([$"Bearer {_apiKey}"]);
        var email = FakeSendGrid.BodyOf(request);
        email["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>().ShouldBe(_customer);
        email["subject"]!.GetValue<string>().ShouldBe(EscalationScenarios.SampleRequest()["summary"]!.GetValue<string>());
        var replyAddress = email["reply_to"]!["email"]!.GetValue<string>();
        replyAddress.ShouldBe(ReplyAddresses.For(Guid.Parse(id), _inboundDomain, _replyKey));
        var ourMessageId = email["headers"]!["Message-ID"]!.GetValue<string>();
        email["headers"]!.AsObject().ContainsKey("In-Reply-To").ShouldBeFalse();
        var delivery = await DeliveryAsync(id, d => d.State == DeliveryStates.Queued);
        $"<{delivery.ProviderMessageId}>".ShouldBe(ourMessageId);

        // The customer answers from Gmail, quoting the operator.
        using var answered = await PostInboundAsync(new Inbound(replyAddress, "<CAF=jane-answer@mail.gmail.test>", ourMessageId,
            $"Thank you, that was quick!\n\nOn Tue, Nov 24, 2026 at 10:00 AM Acme Support <{replyAddress}> wrote:\n> We refunded the second charge."));
        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await CustomerLineAsync(id, "Thank you, that was quick!");
        answer.GetProperty("channel").GetString().ShouldBe("email");

        await _operator.ActOkAsync(id, "reply", new { content = "You are welcome." });

        var second = FakeSendGrid.BodyOf((await SentEmailsAsync(id, 2))[1]);
        second["subject"]!.GetValue<string>().ShouldStartWith("Re: ");
        second["headers"]!["In-Reply-To"]!.GetValue<string>().ShouldBe("<CAF=jane-answer@mail.gmail.test>");
        second["headers"]!["References"]!.GetValue<string>().ShouldBe($"{ourMessageId} <CAF=jane-answer@mail.gmail.test>");
        second["headers"]!["Message-ID"]!.GetValue<string>().ShouldNotBe(ourMessageId);
    }

    [Fact]
    public async Task The_same_Inbound_Parse_post_twice_is_one_customer_line()
    {
        var id = await OpenEmailEscalationAsync();
        var post = new Inbound(ReplyAddresses.For(Guid.Parse(id), _inboundDomain, _replyKey), $"<dup-{Guid.NewGuid():N}@customer.test>", null, "Posted twice by SendGrid.");

        (await PostInboundAsync(post)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PostInboundAsync(post)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await CustomerLineAsync(id, "Posted twice by SendGrid.");
        (await CustomerRepliesAsync(id)).ShouldBe(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sendgrid:wrong-password")]
    public async Task Inbound_Parse_without_the_connections_credentials_is_403_and_stores_nothing(string? credentials)
    {
        var id = await OpenEmailEscalationAsync();

        using var refused = await PostInboundAsync(new Inbound(ReplyAddresses.For(Guid.Parse(id), _inboundDomain, _replyKey), "<forged@customer.test>", null, "Let me in."),
            credentials ?? "");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CustomerRepliesAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task A_reply_address_forged_for_this_escalation_stores_nothing()
    {
        var id = await OpenEmailEscalationAsync();

        using var dropped = await PostInboundAsync(new Inbound(ReplyAddresses.For(Guid.Parse(id), _inboundDomain, "a key that is not the connection's"), "<forged2@customer.test>", null, "Pretending."));

        dropped.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CustomerRepliesAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task Signed_events_move_the_delivery_and_a_repeated_event_counts_once()
    {
        var (id, messageId) = await RepliedEscalationAsync();
        var delivered = Events(("delivered", "ev-delivered", messageId, id));

        (await PostEventsAsync(delivered)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PostEventsAsync(delivered)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await DeliveryAsync(id, d => d.State == DeliveryStates.Delivered);
        (await StatusReportsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_bounce_fails_the_delivery_with_SendGrids_reason()
    {
        var (id, messageId) = await RepliedEscalationAsync();

        (await PostEventsAsync(Events(("bounce", "ev-bounce", messageId, id)))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var delivery = await DeliveryAsync(id, d => d.State == DeliveryStates.Failed);
        delivery.ErrorCode.ShouldBe("bounce");
        delivery.Error.ShouldNotBeNull().ShouldContain("does not exist");
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_and_stale_events_are_403_and_change_nothing()
    {
        var (id, messageId) = await RepliedEscalationAsync();
        var delivered = Events(("delivered", "ev-refused", messageId, id));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        (await PostEventsAsync(delivered, sign: false)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostEventsAsync(delivered, key: stranger)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostEventsAsync(delivered, at: DateTimeOffset.UtcNow.AddHours(-2))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await StatusReportsAsync(id)).ShouldBe(0);
        (await DeliveryAsync(id, _ => true)).State.ShouldBe(DeliveryStates.Queued);
    }

    [Fact]
    public async Task A_SendGrid_outage_is_retried_and_delivers_once()
    {
        var id = await OpenEmailEscalationAsync();
        FakeSendGrid.Shared.AnswerNextFor(id, 503);

        await _operator.ActOkAsync(id, "reply", new { content = "Sorry for the wait." });

        await DeliveryAsync(id, d => d.State == DeliveryStates.Queued);
        var sent = await SentEmailsAsync(id, 2);
        sent.Select(r => FakeSendGrid.BodyOf(r)["headers"]!["Message-ID"]!.GetValue<string>()).Distinct().ShouldHaveSingleItem();
    }

    async Task<string> OpenEmailEscalationAsync()
    {
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["email"] = _customer;
        request["customer"]!["preferred_channel"] = "email";
        return (await _agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
    }

    async Task<(string Id, string MessageId)> RepliedEscalationAsync()
    {
        var id = await OpenEmailEscalationAsync();
        await _operator.ActOkAsync(id, "reply", new { content = "Your refund is on its way." });
        var delivery = await DeliveryAsync(id, d => d.State == DeliveryStates.Queued);
        return (id, delivery.MessageId.ToString());
    }

    static Task<IReadOnlyList<WireMock.IRequestMessage>> SentEmailsAsync(string escalationId, int count) =>
        Eventually.GetAsync(() => FakeSendGrid.Shared.RequestsFor(escalationId) is { } sent && sent.Count >= count ? sent : null, Patience,
            $"{count} email(s) at the fake SendGrid");

    /// <summary>The escalation's delivery of the operator's message once <paramref name="reached"/> holds (the API shows deliveries only in events, so read the document).</summary>
    async Task<MessageDelivery> DeliveryAsync(string id, Func<MessageDelivery, bool> reached)
    {
        var found = await Eventually.GetAsync(async () =>
        {
            await using var session = host.App.Store.QuerySession(_tenant.TenantId);
            var escalation = await session.LoadAsync<Escalation>(Guid.Parse(id), Ct);
            return escalation?.Deliveries.LastOrDefault() is { } delivery && reached(delivery) ? new[] { delivery } : null;
        }, Patience, "the delivery state");
        return found[0];
    }

    async Task<JsonElement> CustomerLineAsync(string id, string text)
    {
        var found = await Eventually.GetAsync(async () =>
        {
            var escalation = await _operator.GetEscalationAsync(id);
            return escalation.GetProperty("transcript").EnumerateArray()
                .Where(e => e.GetProperty("role").GetString() == "customer" && e.GetProperty("content").GetString() == text)
                .Select(e => (JsonElement?)e.Clone()).FirstOrDefault() is { } line ? new[] { line } : null;
        }, Patience, $"the customer's line '{text}'");
        return found[0];
    }

    async Task<int> CustomerRepliesAsync(string id)
    {
        await using var session = host.App.Store.QuerySession(_tenant.TenantId);
        return (await session.Events.FetchStreamAsync(Guid.Parse(id), token: Ct)).Count(e => e.Data is CustomerReplied);
    }

    async Task<int> StatusReportsAsync(string id)
    {
        await using var session = host.App.Store.QuerySession(_tenant.TenantId);
        return (await session.Events.FetchStreamAsync(Guid.Parse(id), token: Ct)).Count(e => e.Data is DeliveryStatusReported);
    }

    sealed record Inbound(string To, string MessageId, string? InReplyTo, string Text);

    async Task<HttpResponseMessage> PostInboundAsync(Inbound post, string? credentials = null)
    {
        var headers = $"Message-ID: {post.MessageId}\n" + (post.InReplyTo is null ? "" : $"In-Reply-To: {post.InReplyTo}\nReferences: {post.InReplyTo}\n") + "Subject: Re: your refund\n";
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in new[]
        {
            ("headers", headers), ("from", $"Jane Doe <{_customer}>"), ("to", post.To), ("subject", "Re: your refund"), ("text", post.Text),
            ("envelope", $$"""{"to":["{{post.To}}"],"from":"{{_customer}}"}"""), ("charsets", """{"to":"UTF-8","from":"UTF-8","subject":"UTF-8","text":"UTF-8"}"""),
            ("attachments", "0"),
        })
            form.Add(new StringContent(value, Encoding.UTF8), name);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/connectors/sendgrid/{_connectionId}/inbound") { Content = form };
        credentials ??= $"sendgrid:{_parsePassword}";
        if (credentials.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var client = host.App.CreateHttpClient();
        return await client.SendAsync(request, Ct);
    }

    static string Events(params (string Kind, string EventId, string MessageId, string EscalationId)[] events) =>
        "[" + string.Join(",", events.Select(e =>
            $$"""{"email":"jane@customer.test","timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"event":"{{e.Kind}}","sg_event_id":"{{e.EventId}}-{{e.MessageId}}","sg_message_id":"sg-1.filter","type":"bounce","status":"5.1.1","reason":"550 5.1.1 The email account does not exist.","message_id":"{{e.MessageId}}","escalation_id":"{{e.EscalationId}}"}""")) + "]";

    async Task<HttpResponseMessage> PostEventsAsync(string json, bool sign = true, ECDsa? key = null, DateTimeOffset? at = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/connectors/sendgrid/{_connectionId}/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (sign)
        {
            var signature = (key ?? _eventKey).SignData([.. Encoding.ASCII.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            request.Headers.Add(EventWebhookSignature.SignatureHeader, Convert.ToBase64String(signature));
            request.Headers.Add(EventWebhookSignature.TimestampHeader, timestamp);
        }
        using var client = host.App.CreateHttpClient();
        return await client.SendAsync(request, Ct);
    }
}
