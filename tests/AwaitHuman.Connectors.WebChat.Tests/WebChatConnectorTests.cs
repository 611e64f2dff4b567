namespace AwaitHuman.Connectors.WebChat.Tests;

public class WebChatConnectorTests
{
    readonly WebChatConnector _connector = new();

    static ChannelConnection Connection(string allowedOrigins, string secret) => new(
        Guid.CreateVersion7(), "tenant", "webchat", "Site chat", [ChannelKinds.WebChat],
        new Dictionary<string, string> { ["allowed_origins"] = allowedOrigins },
        new Dictionary<string, string> { ["signing_secret"] = secret },
        new Uri("https://awaithuman.example/"));

    [Fact]
    public void A_connection_names_the_sites_that_embed_the_widget_and_a_signing_secret()
    {
        _connector.Provider.ShouldBe("webchat");
        _connector.Channels.ShouldBe([ChannelKinds.WebChat]);
        _connector.Schema.Settings.Select(f => (f.Name, f.Required)).ShouldBe([("allowed_origins", true)]);
        _connector.Schema.Secrets.Select(f => (f.Name, f.Required)).ShouldBe([("signing_secret", true)]);
    }

    [Fact]
    public void A_valid_connection_has_no_problems() =>
        _connector.Validate(Connection("https://www.example.com, http://localhost:3000", new string('k', 32))).ShouldBeEmpty();

    [Fact]
    public void Wrong_origins_and_a_short_secret_are_named_by_field()
    {
        var problems = _connector.Validate(Connection("https://www.example.com/chat", "short"));

        problems.Keys.ShouldBe(["settings.allowed_origins", "secrets.signing_secret"], ignoreOrder: true);
        problems["settings.allowed_origins"].ShouldContain("https://www.example.com/chat");
    }

    [Fact]
    public async Task Sending_acknowledges_with_our_message_id_because_the_widget_reads_the_escalation_itself()
    {
        var messageId = Guid.CreateVersion7();
        var message = new OutboundMessage(messageId, Guid.CreateVersion7(), ChannelKinds.WebChat, "visitor-42", "Ada", "Hello",
            null, new ConversationThread(null, [], null), "Support");

        var outcome = await _connector.SendAsync(message, Connection("https://a.example", new string('k', 32)), TestContext.Current.CancellationToken);

        outcome.ShouldBe(new SendOutcome.Accepted(messageId.ToString(), DeliveryStates.Sent));
    }

    [Fact]
    public void Messages_are_chat_lines_of_at_most_4000_characters() =>
        _connector.CapabilitiesOf(ChannelKinds.WebChat).ShouldBe(new ChannelCapabilities(4000));
}
