using AwaitHuman.Connectors;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.Channels.Sandbox;

/// <summary>
/// Every customer channel without a provider account: a message "arrives" on a simulated device or
/// mailbox page (<see cref="SandboxDevice"/>) where a person reads it and answers as the customer.
/// It keeps the real channels' rules (WhatsApp's window and templates, SMS opt-outs and segments), so
/// what works here works with the providers.
/// </summary>
public sealed class SandboxConnector(SandboxDevice device, ILogger<SandboxConnector> logger) : IChannelConnector
{
    public const string Name = "sandbox";

    public string Provider => Name;

    public IReadOnlyList<string> Channels { get; } = [ChannelKinds.WhatsApp, ChannelKinds.Sms, ChannelKinds.Email, ChannelKinds.WebChat];

    public ConnectionSchema Schema { get; } = new([], []);

    public ChannelCapabilities CapabilitiesOf(string channel) => channel switch
    {
        ChannelKinds.WhatsApp => new(MaxTextLength: 4_096, SupportsMedia: true, SupportsTemplates: true, MessagingWindow: TimeSpan.FromHours(24)),
        ChannelKinds.Sms => new(MaxTextLength: 1_600, HonoursOptOut: true),
        ChannelKinds.Email => new(MaxTextLength: 100_000, SupportsMedia: true),
        _ => new(MaxTextLength: 10_000),
    };

    public TextMeasure Measure(string channel, string text) =>
        channel == ChannelKinds.Sms ? SmsSegments.Measure(text) : new TextMeasure(text.Length, Segments: 1, Encoding: null);

    public Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken)
    {
        logger.LogInformation("Sandbox {Channel} message to {To}; the customer reads it at {Url}",
            message.Channel, message.To, device.UrlFor(connection.TenantId, connection.Id, message.Channel, message.To));
        return Task.FromResult<SendOutcome>(new SendOutcome.Accepted($"sandbox-{message.MessageId:N}", DeliveryStates.Delivered));
    }
}
