using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AwaitHuman.Connectors.WebChat.Tests.Api;

/// <summary>
/// The core's side of the contract, in memory: connections, conversations and what the connector
/// handed over, so the widget's API can be tested on its own. The real core is tested end to end
/// in AwaitHuman.Server.Tests/Channels/WebChat.
/// </summary>
public sealed class FakeCore : IChannelInbox, IConversationFeed
{
    readonly ConcurrentDictionary<Guid, ChannelConnection> _connections = new();
    readonly ConcurrentDictionary<(string Tenant, string Ref), Guid> _escalations = new();
    readonly ConcurrentDictionary<Guid, List<ConversationMessage>> _messages = new();
    readonly ConcurrentDictionary<Guid, List<Channel<ConversationSignal>>> _watchers = new();
    readonly ConcurrentDictionary<string, bool> _seen = new();

    public ConcurrentQueue<InboundMessage> Received { get; } = new();
    public ConcurrentQueue<DeliveryReport> Reports { get; } = new();
    public ConcurrentQueue<(Guid Escalation, string Party, string? Name)> Typing { get; } = new();

    public ChannelConnection AddConnection(string tenantId, string secret, string allowedOrigins = "https://shop.example.com")
    {
        var connection = new ChannelConnection(Guid.CreateVersion7(), tenantId, "webchat", "Site chat", [ChannelKinds.WebChat],
            new Dictionary<string, string> { ["allowed_origins"] = allowedOrigins },
            new Dictionary<string, string> { ["signing_secret"] = secret },
            new Uri("http://127.0.0.1/"));
        _connections[connection.Id] = connection;
        return connection;
    }

    public Guid OpenEscalation(string tenantId, string externalRef)
    {
        var id = Guid.CreateVersion7();
        _messages[id] = [];
        _escalations[(tenantId, externalRef)] = id;
        return id;
    }

    public ConversationMessage Append(Guid escalation, string from, string text, string? deliveryState = null)
    {
        ConversationMessage message;
        lock (_messages[escalation])
        {
            var messages = _messages[escalation];
            message = new ConversationMessage(Guid.CreateVersion7(), messages.Count + 1, from,
                from == ConversationParties.Operator ? "Olga" : null, text, DateTimeOffset.UtcNow, deliveryState);
            messages.Add(message);
        }
        Signal(escalation, new ConversationSignal.Changed());
        return message;
    }

    public int Watchers(Guid escalation) => _watchers.TryGetValue(escalation, out var list) ? list.Count : 0;

    public void Signal(Guid escalation, ConversationSignal signal)
    {
        if (!_watchers.TryGetValue(escalation, out var list)) return;
        lock (list)
            foreach (var watcher in list) watcher.Writer.TryWrite(signal);
    }

    /// <summary>Ends every watch of the escalation, as a node going away would: the event streams close.</summary>
    public void DropWatchers(Guid escalation)
    {
        if (!_watchers.TryGetValue(escalation, out var list)) return;
        lock (list)
            foreach (var watcher in list) watcher.Writer.TryComplete();
    }

    public Task<ChannelConnection?> FindConnectionAsync(string provider, Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.TryGetValue(connectionId, out var found) && found.Provider == provider ? found : null);

    public Task<InboundResult> ReceiveAsync(ChannelConnection connection, InboundMessage message, CancellationToken cancellationToken)
    {
        if (!_seen.TryAdd($"{connection.Id}/{message.ProviderMessageId}", true)) return Task.FromResult(InboundResult.Duplicate);
        if (message.EscalationId is not { } escalation || !_messages.ContainsKey(escalation)) return Task.FromResult(InboundResult.NoEscalation);
        Received.Enqueue(message);
        Append(escalation, ConversationParties.Customer, message.Text);
        return Task.FromResult(InboundResult.Accepted);
    }

    public Task<InboundResult> ReportAsync(ChannelConnection connection, DeliveryReport report, CancellationToken cancellationToken)
    {
        Reports.Enqueue(report);
        return Task.FromResult(InboundResult.Accepted);
    }

    public Task<Guid?> FindByExternalRefAsync(string tenantId, string externalRef, CancellationToken cancellationToken) =>
        Task.FromResult(_escalations.TryGetValue((tenantId, externalRef), out var id) ? id : (Guid?)null);

    public Task<Conversation?> ReadAsync(string tenantId, Guid escalationId, int afterPosition, CancellationToken cancellationToken)
    {
        if (!_escalations.Any(e => e.Key.Tenant == tenantId && e.Value == escalationId)) return Task.FromResult<Conversation?>(null);
        var messages = _messages[escalationId];
        lock (messages)
            return Task.FromResult<Conversation?>(new Conversation(escalationId, "with_human", "Olga", [.. messages.Where(m => m.Position > afterPosition)]));
    }

    public async IAsyncEnumerable<ConversationSignal> WatchAsync(string tenantId, Guid escalationId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ConversationSignal>();
        var list = _watchers.GetOrAdd(escalationId, _ => []);
        lock (list) list.Add(channel);
        try
        {
            await foreach (var signal in channel.Reader.ReadAllAsync(cancellationToken)) yield return signal;
        }
        finally
        {
            lock (list) list.Remove(channel);
        }
    }

    public Task NotifyTypingAsync(string tenantId, Guid escalationId, string party, string? name, CancellationToken cancellationToken)
    {
        Typing.Enqueue((escalationId, party, name));
        Signal(escalationId, new ConversationSignal.Typing(party, name));
        return Task.CompletedTask;
    }
}
