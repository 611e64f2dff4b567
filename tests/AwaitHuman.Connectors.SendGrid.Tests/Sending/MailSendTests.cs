using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Connectors.SendGrid.Sending;
using AwaitHuman.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.SendGrid.Tests.Sending;

/// <summary>The Mail Send request as SendGrid documents it (POST /v3/mail/send, Bearer API key, JSON body), against a fake on loopback.</summary>
public sealed class MailSendTests : IDisposable
{
    private readonly FakeSendGrid fake = new();
    private readonly FixedTime time = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly SendGridConnector connector;
    private readonly ChannelConnection connection = TestConnections.SendGrid();

    public MailSendTests()
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        connector = new SendGridConnector(
            services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new SendGridOptions { ApiBaseUrl = fake.Url }),
            time,
            NullLogger<SendGridConnector>.Instance);
    }

    private static OutboundMessage Reply(string text = "Your refund is on its way.", IReadOnlyList<string>? earlier = null, string? subject = "Refund for order 1042") =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), ChannelKinds.Email, "jane@customer.example", "Jane Doe", text, null,
            new ConversationThread(subject, earlier ?? [], null), "Anna");

    [Fact]
    public async Task A_first_email_is_one_documented_Mail_Send_request()
    {
        var message = Reply();

        var outcome = await connector.SendAsync(message, connection, TestContext.Current.CancellationToken);

        var messageId = $"{message.MessageId:D}@{TestConnections.InboundDomain}";
        outcome.ShouldBe(new SendOutcome.Accepted(messageId, DeliveryStates.Queued));
        var request = fake.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/v3/mail/send");
        request.Headers!["Authorization"].ShouldBe(["Bearer SG.test-key"]);
        request.Headers["Content-Type"].Single().ShouldStartWith("application/json");

        var body = FakeSendGrid.BodyOf(request);
        body.Select(p => p.Key).Order().ShouldBe(["content", "custom_args", "from", "headers", "personalizations", "reply_to", "subject"]);
        Json(body["from"]).ShouldBe("""{"name":"Anna (Acme Support)","email":"support@acme.example"}""");
        Json(body["personalizations"]).ShouldBe("""[{"to":[{"name":"Jane Doe","email":"jane@customer.example"}]}]""");
        body["subject"]!.GetValue<string>().ShouldBe("Refund for order 1042");
        var content = body["content"]!.AsArray();
        content.Select(c => c!["type"]!.GetValue<string>()).ShouldBe(["text/plain", "text/html"]);
        content[0]!["value"]!.GetValue<string>().ShouldBe("Your refund is on its way.");
        content[1]!["value"]!.GetValue<string>().ShouldContain("Your refund is on its way.");
        var replyTo = body["reply_to"]!["email"]!.GetValue<string>();
        replyTo.ShouldBe(ReplyAddresses.For(message.EscalationId, TestConnections.InboundDomain, TestConnections.ReplyKey));
        Json(body["headers"]).ShouldBe($$"""{"Message-ID":"<{{messageId}}>"}""");
        Json(body["custom_args"]).ShouldBe($$"""{"message_id":"{{message.MessageId}}","escalation_id":"{{message.EscalationId}}"}""");
    }

    [Fact]
    public async Task A_reply_in_a_thread_carries_In_Reply_To_References_and_Re_subject()
    {
        // The customer's Message-ID last; a non-email provider id in the thread is left out.
        var message = Reply(earlier: ["first@reply.acme.example", "SMxxxxxxxx", "<CAF=abc@mail.gmail.com>"]);

        await connector.SendAsync(message, connection, TestContext.Current.CancellationToken);

        var body = FakeSendGrid.BodyOf(fake.Requests.ShouldHaveSingleItem());
        body["subject"]!.GetValue<string>().ShouldBe("Re: Refund for order 1042");
        var headers = body["headers"]!.AsObject();
        headers["In-Reply-To"]!.GetValue<string>().ShouldBe("<CAF=abc@mail.gmail.com>");
        headers["References"]!.GetValue<string>().ShouldBe("<first@reply.acme.example> <CAF=abc@mail.gmail.com>");
    }

    [Fact]
    public async Task The_same_message_sent_twice_keeps_its_Message_ID()
    {
        var message = Reply();

        await connector.SendAsync(message, connection, TestContext.Current.CancellationToken);
        await connector.SendAsync(message, connection, TestContext.Current.CancellationToken);

        fake.Requests.Select(r => FakeSendGrid.BodyOf(r)["headers"]!["Message-ID"]!.GetValue<string>()).Distinct().ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("Anna", "", "Anna")]
    [InlineData("", "Acme Support", "Acme Support")]
    public async Task The_sender_name_is_the_operator_and_the_company_as_far_as_known(string operatorName, string fromName, string expected)
    {
        await connector.SendAsync(Reply() with { From = operatorName }, TestConnections.SendGrid(fromName: fromName), TestContext.Current.CancellationToken);

        FakeSendGrid.BodyOf(fake.Requests.ShouldHaveSingleItem())["from"]!["name"]!.GetValue<string>().ShouldBe(expected);
    }

    [Fact]
    public async Task Each_connection_sends_with_its_own_API_key()
    {
        await connector.SendAsync(Reply(), TestConnections.SendGrid(apiKey: "SG.tenant-a"), TestContext.Current.CancellationToken);
        await connector.SendAsync(Reply(), TestConnections.SendGrid(apiKey: "SG.tenant-b"), TestContext.Current.CancellationToken);

        fake.Requests.Select(r => r.Headers!["Authorization"].Single()).ShouldBe(["Bearer SG.tenant-a", "Bearer SG.tenant-b"]);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_Retry_After()
    {
        fake.AnswerNext(429, """{"errors":[{"message":"too many requests"}]}""", new() { ["Retry-After"] = "30" });

        var outcome = await connector.SendAsync(Reply(), connection, TestContext.Current.CancellationToken);

        var retry = outcome.ShouldBeOfType<SendOutcome.RetryLater>();
        retry.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        retry.Error.ShouldContain("too many requests");
    }

    [Fact]
    public async Task Too_many_requests_without_Retry_After_waits_for_the_rate_limit_reset()
    {
        var reset = time.Now.AddSeconds(42).ToUnixTimeSeconds();
        fake.AnswerNext(429, "", new() { ["X-RateLimit-Reset"] = reset.ToString() });

        var outcome = await connector.SendAsync(Reply(), connection, TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.RetryLater>().RetryAfter.ShouldBe(TimeSpan.FromSeconds(42));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_retried_later(int status)
    {
        fake.AnswerNext(status, "upstream trouble");

        var outcome = await connector.SendAsync(Reply(), connection, TestContext.Current.CancellationToken);

        var retry = outcome.ShouldBeOfType<SendOutcome.RetryLater>();
        retry.RetryAfter.ShouldBeNull();
        retry.Error.ShouldContain(status.ToString());
    }

    [Fact]
    public async Task An_unreachable_SendGrid_is_retried_later()
    {
        var port = TestConnections.FreeLoopbackPort();
        var services = new ServiceCollection();
        services.AddHttpClient();
        var offline = new SendGridConnector(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new SendGridOptions { ApiBaseUrl = $"http://127.0.0.1:{port}" }), time, NullLogger<SendGridConnector>.Instance);

        var outcome = await offline.SendAsync(Reply(), connection, TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.RetryLater>().Error.ShouldContain("unreachable");
    }

    [Fact]
    public async Task A_refused_email_fails_with_SendGrids_reason_and_a_suggestion()
    {
        fake.AnswerNext(400, """{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":null}]}""");

        var outcome = await connector.SendAsync(Reply(), connection, TestContext.Current.CancellationToken);

        var failed = outcome.ShouldBeOfType<SendOutcome.Failed>();
        failed.ErrorCode.ShouldBe("sendgrid_400");
        failed.Error.ShouldContain("Does not contain a valid address. (personalizations.0.to.0.email)");
        failed.Suggestion.ShouldNotBeNull().ShouldContain("another channel");
    }

    [Theory]
    [InlineData(401, "API key")]
    [InlineData(403, "from_email")]
    public async Task A_refused_credential_fails_with_what_an_admin_must_fix(int status, string fix)
    {
        fake.AnswerNext(status, """{"errors":[{"message":"denied","field":null}]}""");

        var outcome = await connector.SendAsync(Reply(), connection, TestContext.Current.CancellationToken);

        var failed = outcome.ShouldBeOfType<SendOutcome.Failed>();
        failed.ErrorCode.ShouldBe($"sendgrid_{status}");
        failed.Suggestion.ShouldNotBeNull().ShouldContain(fix);
    }

    [Fact]
    public async Task A_template_without_text_fails_before_calling_SendGrid()
    {
        var outcome = await connector.SendAsync(Reply() with { Text = null, Template = new MessageTemplate("HX1", new Dictionary<string, string>()) }, connection, TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.Failed>().ErrorCode.ShouldBe("no_text");
        fake.Requests.ShouldBeEmpty();
    }

    private static string Json(JsonNode? node) => node!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public void Dispose() => fake.Dispose();
}
