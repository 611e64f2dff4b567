namespace AwaitHuman.Connectors.WebChat;

/// <summary>
/// Web chat has no provider: the customer's widget reads the escalation itself through
/// <see cref="IConversationFeed"/>, so an operator's reply is delivered the moment it is stored.
/// Sending only acknowledges it; the widget reports delivered and read.
/// </summary>
public sealed class WebChatConnector : IChannelConnector
{
    public const string ProviderName = "webchat";
    public const string SigningSecret = "signing_secret";

    /// <summary>Longest message either side may send: a chat line, not a document.</summary>
    public const int MaxTextLength = 4000;

    public string Provider => ProviderName;

    public IReadOnlyList<string> Channels { get; } = [ChannelKinds.WebChat];

    public ConnectionSchema Schema { get; } = new(
        Settings:
        [
            new ConnectionField(AllowedOrigins.Setting,
                "The sites whose pages embed the widget, e.g. https://www.example.com (comma-separated); the widget's API refuses any other origin."),
        ],
        Secrets:
        [
            new ConnectionField(SigningSecret,
                $"Your backend signs customer session tokens with it (HS256); at least {SessionTokens.MinSecretLength} characters, random."),
        ]);

    public ChannelCapabilities CapabilitiesOf(string channel) => new(MaxTextLength);

    public IReadOnlyDictionary<string, string> Validate(ChannelConnection connection)
    {
        var problems = new Dictionary<string, string>();
        if (AllowedOrigins.Problem(connection.Setting(AllowedOrigins.Setting)) is { } origins)
            problems[$"settings.{AllowedOrigins.Setting}"] = origins;
        if (connection.Secret(SigningSecret).Length < SessionTokens.MinSecretLength)
            problems[$"secrets.{SigningSecret}"] = $"The signing secret is at least {SessionTokens.MinSecretLength} characters (HS256 needs 256 bits).";
        return problems;
    }

    /// <summary>The message is already in the escalation the widget reads and streams.</summary>
    public Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<SendOutcome>(new SendOutcome.Accepted(ProviderMessageIdOf(message.MessageId), DeliveryStates.Sent));

    /// <summary>Our message id is the provider id too, so the widget's read receipts name it.</summary>
    public static string ProviderMessageIdOf(Guid messageId) => messageId.ToString();
}
