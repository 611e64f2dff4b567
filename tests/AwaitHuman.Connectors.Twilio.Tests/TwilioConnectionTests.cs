namespace AwaitHuman.Connectors.Twilio.Tests;

public class TwilioConnectionTests
{
    static readonly TwilioConnector Connector = Connections.Connector(new Uri("https://api.twilio.com")).Connector;

    [Fact]
    public void A_connection_with_a_number_for_each_channel_is_valid() =>
        Connector.Validate(Connections.Twilio()).ShouldBeEmpty();

    [Fact]
    public void A_messaging_service_serves_both_channels_without_numbers() =>
        Connector.Validate(Connections.Twilio(settings: new() { ["account_sid"] = Connections.AccountSid, ["messaging_service_sid"] = Connections.MessagingServiceSid }))
            .ShouldBeEmpty();

    [Fact]
    public void Formats_are_checked_field_by_field()
    {
        var problems = Connector.Validate(Connections.Twilio(
            settings: new() { ["account_sid"] = "AC123", ["from"] = "0044 7700 900123", ["whatsapp_from"] = "whatsapp:12345", ["messaging_service_sid"] = "PN0123456789abcdef0123456789abcdef" },
            secrets: new() { ["auth_token"] = "short", ["api_key_sid"] = "AK0123456789abcdef0123456789abcdef" }));

        problems.Keys.ShouldBe(
            ["settings.account_sid", "settings.from", "settings.messaging_service_sid", "settings.whatsapp_from", "secrets.auth_token", "secrets.api_key_sid", "secrets.api_key_secret"],
            ignoreOrder: true);
        problems["settings.from"].ShouldContain("E.164");
        problems["secrets.api_key_secret"].ShouldContain("api_key_sid");
    }

    [Fact]
    public void A_whatsapp_prefixed_sender_is_accepted() =>
        Connector.Validate(Connections.Twilio(settings: new() { ["account_sid"] = Connections.AccountSid, ["from"] = Connections.From, ["whatsapp_from"] = "whatsapp:+14155550111" }))
            .ShouldBeEmpty();

    [Fact]
    public void Each_channel_needs_a_sender()
    {
        var problems = Connector.Validate(Connections.Twilio(settings: new() { ["account_sid"] = Connections.AccountSid }));
        problems.Keys.ShouldBe(["settings.from", "settings.whatsapp_from"], ignoreOrder: true);

        Connector.Validate(Connections.Twilio(settings: new() { ["account_sid"] = Connections.AccountSid, ["from"] = Connections.From }, channels: [ChannelKinds.Sms]))
            .ShouldBeEmpty();
    }

    [Fact]
    public void The_schema_requires_the_account_and_the_token_that_signs_webhooks()
    {
        Connector.Schema.Settings.Where(f => f.Required).Select(f => f.Name).ShouldBe(["account_sid"]);
        Connector.Schema.Secrets.Where(f => f.Required).Select(f => f.Name).ShouldBe(["auth_token"]);
        Connector.Schema.Webhooks.ShouldBe(["inbound"]);
    }

    [Fact]
    public void WhatsApp_has_a_24_hour_window_templates_and_media_and_SMS_honours_opt_out()
    {
        Connector.Channels.ShouldBe([ChannelKinds.Sms, ChannelKinds.WhatsApp]);
        Connector.CapabilitiesOf(ChannelKinds.WhatsApp).ShouldBe(new ChannelCapabilities(1600, SupportsMedia: true, SupportsTemplates: true, MessagingWindow: TimeSpan.FromHours(24), HonoursOptOut: true));
        Connector.CapabilitiesOf(ChannelKinds.Sms).ShouldBe(new ChannelCapabilities(1600, HonoursOptOut: true));
    }

    [Fact]
    public void SMS_is_measured_in_segments_and_WhatsApp_is_not()
    {
        Connector.Measure(ChannelKinds.Sms, new string('a', 200)).ShouldBe(new TextMeasure(200, 2, "GSM-7"));
        Connector.Measure(ChannelKinds.WhatsApp, new string('a', 200)).ShouldBe(new TextMeasure(200, 1, null));
    }
}
