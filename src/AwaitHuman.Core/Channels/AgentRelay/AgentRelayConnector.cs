using AwaitHuman.Connectors;

namespace AwaitHuman.Core.Channels.AgentRelay;

/// <summary>
/// For customers on a channel the agent owns (its own chat, voice, app): an operator's message is
/// already on its way to the agent as the signed <c>escalation.operator_replied</c> webhook (and on
/// the event stream), committed with the reply. The agent relays it and posts the customer's
/// answers back with <c>POST /v1/escalations/{id}/messages</c> (role <c>customer</c>).
/// </summary>
public sealed class AgentRelayConnector : IChannelConnector
{
    public const string Name = "agent_relay";

    public string Provider => Name;

    public IReadOnlyList<string> Channels { get; } = [ChannelKinds.Agent];

    public ConnectionSchema Schema { get; } = new([], []);

    public ChannelCapabilities CapabilitiesOf(string channel) => new(MaxTextLength: 32_000);

    public Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<SendOutcome>(new SendOutcome.Accepted(message.MessageId.ToString(), DeliveryStates.Sent));
}
