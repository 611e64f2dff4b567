using AwaitHuman.Connectors.SendGrid.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.SendGrid.Tests.Sending;

public sealed class ConnectionValidationTests
{
    private readonly SendGridConnector connector = new(
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        Options.Create(new SendGridOptions()), TimeProvider.System, NullLogger<SendGridConnector>.Instance);

    [Fact]
    public void Email_threads_replies_so_sends_get_the_earlier_message_ids() =>
        connector.CapabilitiesOf(ChannelKinds.Email).ShouldBe(new ChannelCapabilities(connector.CapabilitiesOf(ChannelKinds.Email).MaxTextLength, ThreadsReplies: true));

    [Fact]
    public void A_complete_connection_has_no_problems() =>
        connector.Validate(TestConnections.SendGrid(publicKey: EventKeys.SendGridExamplePublicKey)).ShouldBeEmpty();

    [Fact]
    public void Malformed_settings_and_weak_secrets_are_named_by_field()
    {
        var good = TestConnections.SendGrid();
        var bad = good with
        {
            Settings = new Dictionary<string, string>(good.Settings)
            {
                [SendGridConnection.FromEmail] = "not an address",
                [SendGridConnection.InboundDomain] = "http://reply.acme.example/",
                [SendGridConnection.EventWebhookPublicKey] = "bm90IGEga2V5",
            },
            Secrets = new Dictionary<string, string>(good.Secrets)
            {
                [SendGridConnection.InboundParsePassword] = "short:pass@word",
                [SendGridConnection.ReplyAddressKey] = "short",
            },
        };

        connector.Validate(bad).Keys.Order().ShouldBe([
            "secrets.inbound_parse_password", "secrets.reply_address_key",
            "settings.event_webhook_public_key", "settings.from_email", "settings.inbound_domain"]);
    }

    [Fact]
    public void The_schema_requires_what_sending_and_receiving_need()
    {
        connector.Schema.Settings.Where(f => f.Required).Select(f => f.Name).ShouldBe(["from_email", "inbound_domain"]);
        connector.Schema.Secrets.Where(f => f.Required).Select(f => f.Name).ShouldBe(["api_key", "inbound_parse_password", "reply_address_key"]);
        connector.Channels.ShouldBe([ChannelKinds.Email]);
    }
}
