using System.Text;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Connectors.Twilio.Tests;

/// <summary>
/// The send request on the wire, checked against Twilio's Messages resource documentation. Twilio
/// reads form fields by name: the SDK sends them in an order of its own, so the field lists
/// ignore order.
/// </summary>
public sealed class TwilioSendTests : IDisposable
{
    readonly TwilioApiFake _twilio = new();
    readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _services;
    readonly TwilioConnector _connector;

    public TwilioSendTests() => (_services, _connector) = Connections.Connector(_twilio.BaseUrl);

    const string StatusCallback = "https://awaithuman.example/connectors/twilio/0196a6a4-0000-7000-8000-000000000001/status?message_id=0196a6a4-1111-7000-8000-0000000000aa";

    static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public async Task An_SMS_is_a_form_post_to_the_accounts_Messages_resource_with_basic_auth()
    {
        _twilio.AnswerNext(Connections.AccountSid, TwilioAnswer.Created("SM1234", "queued"));

        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        outcome.ShouldBe(new SendOutcome.Accepted("SM1234", DeliveryStates.Queued, new TextMeasure(25, 1, "GSM-7")));
        var request = _twilio.Received.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe($"/2010-04-01/Accounts/{Connections.AccountSid}/Messages.json");
        request.Authorization.ShouldBe(Basic(Connections.AccountSid, Connections.AuthToken));
        request.ContentType.ShouldStartWith("application/x-www-form-urlencoded");
        request.Accepted.ShouldBeTrue();
        request.Form.ShouldBe(
        [
            new("To", "+447700900123"),
            new("From", Connections.From),
            new("Body", "Your refund was approved."),
            new("StatusCallback", StatusCallback),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task A_messaging_service_sends_instead_of_the_number()
    {
        var connection = Connections.Twilio(settings: new() { ["account_sid"] = Connections.AccountSid, ["from"] = Connections.From, ["messaging_service_sid"] = Connections.MessagingServiceSid });

        await _connector.SendAsync(Connections.Reply(), connection, TestContext.Current.CancellationToken);

        var request = _twilio.Received.ShouldHaveSingleItem();
        request.Field("MessagingServiceSid").ShouldBe(Connections.MessagingServiceSid);
        request.Field("From").ShouldBeNull();
    }

    [Fact]
    public async Task An_API_key_authenticates_instead_of_the_auth_token()
    {
        var connection = Connections.Twilio(secrets: new()
        {
            ["auth_token"] = Connections.AuthToken,
            ["api_key_sid"] = "SK0123456789abcdef0123456789abcdef",
            ["api_key_secret"] = "s3cretS3cretS3cretS3cretS3cret12",
        });

        var outcome = await _connector.SendAsync(Connections.Reply(), connection, TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.Accepted>();
        var request = _twilio.Received.ShouldHaveSingleItem();
        request.Authorization.ShouldBe(Basic("SK0123456789abcdef0123456789abcdef", "s3cretS3cretS3cretS3cretS3cret12"));
        request.Path.ShouldBe($"/2010-04-01/Accounts/{Connections.AccountSid}/Messages.json");
    }

    [Fact]
    public async Task WhatsApp_addresses_carry_the_whatsapp_prefix()
    {
        _twilio.AnswerNext(Connections.AccountSid, TwilioAnswer.Created("SM5678", "queued"));

        var outcome = await _connector.SendAsync(Connections.Reply(ChannelKinds.WhatsApp, "Hola 👋"), Connections.Twilio(), TestContext.Current.CancellationToken);

        outcome.ShouldBe(new SendOutcome.Accepted("SM5678", DeliveryStates.Queued));
        _twilio.Received.ShouldHaveSingleItem().Form.ShouldBe(
        [
            new("To", "whatsapp:+447700900123"),
            new("From", "whatsapp:" + Connections.WhatsAppFrom),
            new("Body", "Hola 👋"),
            new("StatusCallback", StatusCallback),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task A_template_goes_as_ContentSid_and_ContentVariables_json_without_a_body()
    {
        var template = new MessageTemplate("HX0123456789abcdef0123456789abcdef", new Dictionary<string, string> { ["1"] = "Ana", ["2"] = "order #42" });

        await _connector.SendAsync(Connections.Reply(ChannelKinds.WhatsApp, text: null, template: template), Connections.Twilio(), TestContext.Current.CancellationToken);

        _twilio.Received.ShouldHaveSingleItem().Form.ShouldBe(
        [
            new("To", "whatsapp:+447700900123"),
            new("From", "whatsapp:" + Connections.WhatsAppFrom),
            new("ContentSid", "HX0123456789abcdef0123456789abcdef"),
            new("ContentVariables", """{"1":"Ana","2":"order #42"}"""),
            new("StatusCallback", StatusCallback),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task A_channel_without_a_sender_fails_before_calling_Twilio()
    {
        var smsOnly = Connections.Twilio(settings: new() { ["account_sid"] = Connections.AccountSid, ["from"] = Connections.From }, channels: [ChannelKinds.Sms]);

        var outcome = await _connector.SendAsync(Connections.Reply(ChannelKinds.WhatsApp), smsOnly, TestContext.Current.CancellationToken);

        var failed = outcome.ShouldBeOfType<SendOutcome.Failed>();
        failed.ErrorCode.ShouldBe("no_sender");
        failed.Suggestion.ShouldNotBeNull().ShouldContain("whatsapp_from");
        _twilio.Received.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("accepted", DeliveryStates.Queued)]
    [InlineData("queued", DeliveryStates.Queued)]
    [InlineData("sent", DeliveryStates.Sent)]
    public async Task Twilios_first_status_becomes_the_delivery_state(string status, string state)
    {
        _twilio.AnswerNext(Connections.AccountSid, TwilioAnswer.Created("SM1", status));
        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);
        outcome.ShouldBeOfType<SendOutcome.Accepted>().State.ShouldBe(state);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_seconds_Twilio_asks_for()
    {
        _twilio.AnswerNext(Connections.AccountSid, TwilioAnswer.Error(429, 20429, "Too Many Requests", ("Retry-After", "7")));

        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        var retry = outcome.ShouldBeOfType<SendOutcome.RetryLater>();
        retry.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        retry.Error.ShouldContain("Too Many Requests");
        // The host's standard resilience handler is off for this client: one attempt, the core retries.
        _twilio.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_Retry_After_date_becomes_the_time_until_then()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(120);
        _twilio.AnswerNext(Connections.AccountSid, TwilioAnswer.Error(503, 20503, "Service Unavailable", ("Retry-After", at.ToString("R"))));

        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.RetryLater>().RetryAfter!.Value.TotalSeconds.ShouldBeInRange(100, 121);
    }

    [Fact]
    public async Task A_server_error_is_retried_later_once_by_the_core_not_here()
    {
        _twilio.AnswerNext(Connections.AccountSid, new TwilioAnswer(500, Body: "oops"));

        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        outcome.ShouldBe(new SendOutcome.RetryLater("Twilio answered 500 Internal Server Error."));
        _twilio.Received.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(400, 21211, "The 'To' number +1555 is not a valid phone number.", "not a valid phone number")]
    [InlineData(400, 21610, "Attempt to send to unsubscribed recipient", "opted out")]
    [InlineData(400, 63016, "Failed to send freeform message because you are outside the allowed window.", "template")]
    [InlineData(401, 20003, "Authenticate", "auth token")]
    [InlineData(400, 12345, "Something new", "twilio.com/docs/errors/12345")]
    public async Task Refusals_fail_with_Twilios_code_message_and_a_suggestion(int status, int code, string message, string suggestion)
    {
        _twilio.AnswerNext(Connections.AccountSid, TwilioAnswer.Error(status, code, message));

        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        var failed = outcome.ShouldBeOfType<SendOutcome.Failed>();
        failed.ErrorCode.ShouldBe(code.ToString());
        failed.Error.ShouldBe(message);
        failed.Suggestion.ShouldNotBeNull().ShouldContain(suggestion);
        _twilio.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_refusal_without_Twilios_error_body_names_the_http_status()
    {
        _twilio.AnswerNext(Connections.AccountSid, new TwilioAnswer(404, Body: "<html>not here</html>"));
        var outcome = await _connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);
        outcome.ShouldBeOfType<SendOutcome.Failed>().ErrorCode.ShouldBe("http_404");
    }

    [Fact]
    public async Task No_answer_in_time_is_retried_later()
    {
        _twilio.AnswerNext(Connections.AccountSid, new TwilioAnswer(201, Body: "{}", Delay: TimeSpan.FromSeconds(5)));
        var (services, connector) = Connections.Connector(_twilio.BaseUrl, sendTimeout: TimeSpan.FromMilliseconds(300));
        using var _ = services;

        var outcome = await connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.RetryLater>().Error.ShouldContain("did not answer");
    }

    [Fact]
    public async Task An_unreachable_Twilio_is_retried_later()
    {
        var (services, connector) = Connections.Connector(new Uri("http://127.0.0.1:9"));
        using var _ = services;

        var outcome = await connector.SendAsync(Connections.Reply(), Connections.Twilio(), TestContext.Current.CancellationToken);

        outcome.ShouldBeOfType<SendOutcome.RetryLater>().Error.ShouldContain("could not be reached");
    }

    public void Dispose()
    {
        _services.Dispose();
        _twilio.Dispose();
    }
}
