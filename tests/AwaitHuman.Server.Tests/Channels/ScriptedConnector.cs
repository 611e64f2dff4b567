using System.Collections.Concurrent;
using AwaitHuman.Connectors;

namespace AwaitHuman.Server.Tests.Channels;

/// <summary>
/// A provider whose answers a test writes in advance, per recipient address, to drive the core's
/// sending pipeline through retries and failures; every call is recorded. Provider wire formats are
/// tested against fakes of the real APIs in the connectors' own tests.
/// </summary>
public sealed class ScriptedConnector : IChannelConnector
{
    public const string Name = "scripted";

    static readonly ConcurrentDictionary<string, ConcurrentQueue<SendOutcome>> Scripts = new();
    static readonly ConcurrentDictionary<string, ConcurrentQueue<OutboundMessage>> Sent = new();

    /// <summary>The answers for messages to <paramref name="to"/>, in order; after them every send is accepted.</summary>
    public static void Script(string to, params SendOutcome[] outcomes) => Scripts[to] = new(outcomes);

    public static IReadOnlyList<OutboundMessage> SentTo(string to) => Sent.TryGetValue(to, out var sent) ? sent.ToArray() : [];

    public string Provider => Name;

    public IReadOnlyList<string> Channels { get; } = [ChannelKinds.Sms, ChannelKinds.Email];

    public ConnectionSchema Schema { get; } = new(
        [new ConnectionField("from", "The sending number"), new ConnectionField("region", "Optional region", Required: false)],
        [new ConnectionField("token", "The API token")],
        ["inbound", "status"]);

    /// <summary>Threads replies on email only, so a test can see which sends get the earlier messages' ids.</summary>
    public ChannelCapabilities CapabilitiesOf(string channel) => new(MaxTextLength: 160, HonoursOptOut: true, ThreadsReplies: channel == ChannelKinds.Email);

    public IReadOnlyDictionary<string, string> Validate(ChannelConnection connection) =>
        connection.Setting("from").StartsWith('+') ? new Dictionary<string, string>() : new Dictionary<string, string> { ["settings.from"] = "A number in E.164 format." };

    public Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken)
    {
        Sent.GetOrAdd(message.To, _ => new()).Enqueue(message);
        var outcome = Scripts.TryGetValue(message.To, out var script) && script.TryDequeue(out var next)
            ? next
            : new SendOutcome.Accepted($"SM{message.MessageId:N}", DeliveryStates.Queued);
        return Task.FromResult(outcome);
    }
}
