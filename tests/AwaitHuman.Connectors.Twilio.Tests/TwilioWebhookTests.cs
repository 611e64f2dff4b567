using System.Net;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Connectors.Twilio.Tests;

public sealed class TwilioWebhookTests : IAsyncLifetime
{
    WebhookHost _host = null!;
    ChannelConnection _connection = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await WebhookHost.StartAsync();
        _connection = Connections.Twilio(publicBaseUrl: _host.BaseUrl.ToString());
        _host.Inbox.Connections[_connection.Id] = _connection;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static List<KeyValuePair<string, string>> IncomingSms(string body = "Still no refund?", string sid = "SM11111111111111111111111111111111") =>
    [
        new("ToCountry", "US"),
        new("SmsMessageSid", sid),
        new("NumMedia", "0"),
        new("SmsSid", sid),
        new("SmsStatus", "received"),
        new("Body", body),
        new("To", Connections.From),
        new("NumSegments", "1"),
        new("MessageSid", sid),
        new("AccountSid", Connections.AccountSid),
        new("From", "+447700900123"),
        new("ApiVersion", "2010-04-01"),
    ];

    string UrlOf(string path, ChannelConnection? connection = null) => (connection ?? _connection).WebhookUrl(path).ToString();

    async Task<HttpResponseMessage> PostAsync(string url, List<KeyValuePair<string, string>> form, string? signature, Action<HttpRequestMessage>? alter = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
            request.Headers.Add("X-Twilio-Signature", signature);
        alter?.Invoke(request);
        return await _host.Http.SendAsync(request, Ct);
    }

    Task<HttpResponseMessage> PostSignedAsync(string url, List<KeyValuePair<string, string>> form, string token = Connections.AuthToken) =>
        PostAsync(url, form, TwilioWebhookSigner.Sign(token, url, form));

    [Fact]
    public async Task A_signed_incoming_SMS_reaches_the_inbox_and_Twilio_gets_empty_TwiML()
    {
        using var response = await PostSignedAsync(UrlOf("inbound"), IncomingSms());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/xml");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        var message = _host.Inbox.Messages.ShouldHaveSingleItem();
        message.ShouldBe(message with
        {
            ProviderMessageId = "SM11111111111111111111111111111111",
            Channel = ChannelKinds.Sms,
            From = "+447700900123",
            FromName = null,
            Text = "Still no refund?",
            Consent = null,
        });
    }

    [Fact]
    public async Task An_incoming_WhatsApp_message_is_normalised_with_the_profile_name_and_its_media_noted()
    {
        List<KeyValuePair<string, string>> form =
        [
            new("MessageSid", "SM22222222222222222222222222222222"),
            new("AccountSid", Connections.AccountSid),
            new("From", "whatsapp:+447700900123"),
            new("To", "whatsapp:" + Connections.WhatsAppFrom),
            new("Body", "Here is the receipt"),
            new("ProfileName", "Ana Souza"),
            new("WaId", "447700900123"),
            new("NumMedia", "1"),
            new("MediaContentType0", "image/jpeg"),
            new("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"),
        ];

        using var response = await PostSignedAsync(UrlOf("inbound"), form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var message = _host.Inbox.Messages.ShouldHaveSingleItem();
        message.Channel.ShouldBe(ChannelKinds.WhatsApp);
        message.From.ShouldBe("+447700900123");
        message.FromName.ShouldBe("Ana Souza");
        message.Text.ShouldBe("Here is the receipt\n[attachment image/jpeg: https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1]");
    }

    [Theory]
    [InlineData("STOP", null, ConsentChanges.OptOut)]
    [InlineData("  stop ", null, ConsentChanges.OptOut)]
    [InlineData("Unsubscribe", null, ConsentChanges.OptOut)]
    [InlineData("START", null, ConsentChanges.OptIn)]
    [InlineData("unstop", null, ConsentChanges.OptIn)]
    [InlineData("Please stop calling me", null, null)]
    [InlineData("Arrête", "STOP", ConsentChanges.OptOut)]
    [InlineData("Oui", "START", ConsentChanges.OptIn)]
    [InlineData("HELP", "HELP", null)]
    public async Task Opt_out_and_opt_in_keywords_become_consent(string body, string? optOutType, string? consent)
    {
        var form = IncomingSms(body);
        if (optOutType is not null)
            form.Add(new("OptOutType", optOutType));

        using var response = await PostSignedAsync(UrlOf("inbound"), form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _host.Inbox.Messages.ShouldHaveSingleItem().Consent.ShouldBe(consent);
    }

    [Fact]
    public async Task A_status_callback_becomes_a_delivery_report_for_our_message()
    {
        var messageId = Guid.CreateVersion7();
        var url = $"{UrlOf("status")}?message_id={messageId}";
        List<KeyValuePair<string, string>> form =
        [
            new("SmsSid", "SM33333333333333333333333333333333"),
            new("SmsStatus", "delivered"),
            new("MessageStatus", "delivered"),
            new("To", "+447700900123"),
            new("MessageSid", "SM33333333333333333333333333333333"),
            new("AccountSid", Connections.AccountSid),
            new("From", Connections.From),
            new("ApiVersion", "2010-04-01"),
        ];

        using var response = await PostSignedAsync(url, form);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var report = _host.Inbox.Reports.ShouldHaveSingleItem();
        report.ShouldBe(report with
        {
            ProviderEventId = "SM33333333333333333333333333333333:delivered",
            ProviderMessageId = "SM33333333333333333333333333333333",
            MessageId = messageId,
            State = DeliveryStates.Delivered,
            ErrorCode = null,
            ErrorMessage = null,
        });
    }

    [Fact]
    public async Task An_undelivered_status_carries_Twilios_error_code_and_a_suggestion()
    {
        List<KeyValuePair<string, string>> form =
        [
            new("MessageSid", "SM44444444444444444444444444444444"),
            new("MessageStatus", "undelivered"),
            new("ErrorCode", "30003"),
            new("To", "whatsapp:+447700900123"),
            new("AccountSid", Connections.AccountSid),
        ];

        using var response = await PostSignedAsync(UrlOf("status"), form);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var report = _host.Inbox.Reports.ShouldHaveSingleItem();
        report.State.ShouldBe(DeliveryStates.Undelivered);
        report.ErrorCode.ShouldBe("30003");
        report.ErrorMessage.ShouldNotBeNull().ShouldContain("WhatsApp");
        report.MessageId.ShouldBeNull();
    }

    [Fact]
    public async Task Statuses_of_incoming_messages_are_not_reports()
    {
        List<KeyValuePair<string, string>> form = [new("MessageSid", "SM5"), new("MessageStatus", "received"), new("AccountSid", Connections.AccountSid)];
        using var response = await PostSignedAsync(UrlOf("status"), form);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        _host.Inbox.Reports.ShouldBeEmpty();
    }

    [Fact]
    public async Task Behind_a_proxy_the_public_url_Twilio_signed_is_rebuilt_from_forwarded_headers()
    {
        // Twilio called https://hooks.example.com/...; the proxy (on loopback, trusted) forwarded it here over http.
        var publicUrl = $"https://hooks.example.com/connectors/twilio/{_connection.Id}/inbound";
        var form = IncomingSms();

        using var response = await PostAsync(UrlOf("inbound"), form, TwilioWebhookSigner.Sign(Connections.AuthToken, publicUrl, form), request =>
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "hooks.example.com");
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _host.Inbox.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_platforms_public_url_is_accepted_without_forwarded_headers()
    {
        var behindProxy = Connections.Twilio(publicBaseUrl: "https://awaithuman.example/");
        _host.Inbox.Connections[behindProxy.Id] = behindProxy;
        var form = IncomingSms();
        var signedFor = behindProxy.WebhookUrl("inbound").ToString();

        using var response = await PostAsync(UrlOf("inbound"), form, TwilioWebhookSigner.Sign(Connections.AuthToken, signedFor, form));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_signature_over_the_url_with_its_default_port_is_accepted()
    {
        var behindProxy = Connections.Twilio(publicBaseUrl: "https://awaithuman.example/");
        _host.Inbox.Connections[behindProxy.Id] = behindProxy;
        var form = IncomingSms();

        using var response = await PostAsync(UrlOf("inbound"), form,
            TwilioWebhookSigner.Sign(Connections.AuthToken, $"https://awaithuman.example:443/connectors/twilio/{behindProxy.Id}/inbound", form));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public static TheoryData<string> Forgeries() => ["unsigned", "wrong token", "tampered body", "other connection", "other path", "other query", "other account", "unknown connection"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Anything_not_signed_for_this_connection_is_refused_and_nothing_reaches_the_inbox(string forgery)
    {
        var other = Connections.Twilio() with { Id = Guid.CreateVersion7(), Secrets = new Dictionary<string, string> { ["auth_token"] = "fedcba9876543210fedcba9876543210" } };
        other = other with { PublicBaseUrl = _connection.PublicBaseUrl };
        _host.Inbox.Connections[other.Id] = other;
        var form = IncomingSms();
        var inbound = UrlOf("inbound");
        var signature = TwilioWebhookSigner.Sign(Connections.AuthToken, inbound, form);

        using var response = forgery switch
        {
            "unsigned" => await PostAsync(inbound, form, null),
            "wrong token" => await PostSignedAsync(inbound, form, token: "fedcba9876543210fedcba9876543210"),
            "tampered body" => await PostAsync(inbound, [.. form.Select(p => p.Key == "Body" ? new KeyValuePair<string, string>("Body", "STOP") : p)], signature),
            // A real request replayed to another connection (signed with this one's token) or another endpoint.
            "other connection" => await PostAsync(UrlOf("inbound", other), form, signature),
            "other path" => await PostAsync(UrlOf("status"), form, signature),
            "other query" => await PostAsync(inbound + "?message_id=" + Guid.CreateVersion7(), form, signature),
            "other account" => await PostSignedAsync(inbound, [.. form.Select(p => p.Key == "AccountSid" ? new KeyValuePair<string, string>("AccountSid", "AC" + new string('9', 32)) : p)]),
            "unknown connection" => await PostAsync(inbound.Replace(_connection.Id.ToString(), Guid.CreateVersion7().ToString()), form, signature),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _host.Inbox.Messages.ShouldBeEmpty();
        _host.Inbox.Reports.ShouldBeEmpty();
    }

    [Fact]
    public async Task Forwarded_headers_do_not_let_a_forger_sign_for_a_url_of_their_choosing()
    {
        // Signed with a token the forger does not have: pointing the URL elsewhere changes nothing.
        var form = IncomingSms();
        using var response = await PostAsync(UrlOf("inbound"), form, TwilioWebhookSigner.Sign("00000000000000000000000000000000", "https://evil.example/x", form), request =>
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "evil.example");
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _host.Inbox.Messages.ShouldBeEmpty();
    }
}
