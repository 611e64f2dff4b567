using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Escalations;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace AwaitHuman.Core.Channels.Sending;

/// <summary>Send one operator message to the customer; published with the OperatorReplied event, in its transaction.</summary>
/// <param name="Attempt">1 for the first try; retries after a transient failure count up.</param>
/// <param name="ConnectionId">The connection the route chose, so it is read with the escalation; messages queued without it read it after.</param>
/// <param name="Content">The text, carried so a send reads only the escalation's deliveries, not its whole transcript; messages queued without it read the transcript.</param>
/// <param name="AuthorName">Who wrote it, for channels that show a sender.</param>
public sealed record DeliverReply(Guid EscalationId, Guid MessageId, int Attempt = 1, Guid? ConnectionId = null, string? Content = null, string? AuthorName = null);

/// <summary>What a send needs of its escalation: the deliveries and the customer, without the transcript.</summary>
public sealed class DeliverySnapshot
{
    public List<MessageDelivery> Deliveries { get; set; } = [];
    public string? CustomerName { get; set; }
    public string? Summary { get; set; }
}

public static class OutboundReplies
{
    /// <summary>
    /// Puts each routed operator message of <paramref name="events"/> in Wolverine's outbox and
    /// indexes it for delivery reports; both commit with the events or not at all.
    /// </summary>
    public static async Task EnqueueAsync(IDocumentSession session, IMessageBus bus, IEnumerable<object> events)
    {
        foreach (var (escalationId, entry, route, at) in events.Select(ToCustomer).OfType<(Guid, TranscriptEntry, ReplyRoute, DateTimeOffset)>())
        {
            session.Store(new ChannelMessage { Id = entry.Id, EscalationId = escalationId, ConnectionId = route.ConnectionId, Direction = "outbound", At = at });
            await bus.PublishAsync(new DeliverReply(escalationId, entry.Id, ConnectionId: route.ConnectionId, Content: entry.Content, AuthorName: entry.Author?.Name));
            if (route.To is { } to) await RememberConversationAsync(session, route, to, escalationId);
        }
    }

    static (Guid, TranscriptEntry, ReplyRoute, DateTimeOffset)? ToCustomer(object e) => e switch
    {
        OperatorReplied { Route: { } route } replied => (replied.EscalationId, replied.Entry, route, replied.At),
        AutomaticMessageSent sent => (sent.EscalationId, sent.Entry, sent.Route, sent.At),
        _ => null,
    };

    /// <summary>The customer's next message on this address comes back to this escalation, unless it is finished by then.</summary>
    static async Task RememberConversationAsync(IDocumentSession session, ReplyRoute route, string to, Guid escalationId)
    {
        var id = CustomerChannel.IdOf(route.Channel, to);
        var customer = route is ChosenReplyRoute { Customer: { } known } && known.Id == id ? known
            : await session.LoadAsync<CustomerChannel>(id) ?? new CustomerChannel { Id = id, Channel = route.Channel, Address = to };
        if (customer.LastEscalationId == escalationId) return;
        customer.LastEscalationId = escalationId;
        session.Store(customer);
    }
}

/// <summary>
/// Hands a message to its connector and records what the provider said. The send happens once per
/// run, outside any transaction; the record takes its turn on the escalation's lock, so a race
/// never fails it and never sends the message again. A transient failure is
/// retried later by a scheduled copy of the message (its record and the retry commit together); a
/// message the provider already has, or refused for good, is not sent again, also when this handler
/// runs twice after a crash.
/// </summary>
public static class DeliverReplyHandler
{
    public static async Task Handle(
        DeliverReply command, IDocumentStore store, OutboxedSessionFactory outbox, IMessageContext bus, ConnectorCatalog catalog, ConnectionLookup lookup,
        IOptions<ChannelOptions> options, TimeProvider clock, ILogger<DeliverReply> logger, CancellationToken ct)
    {
        if (await PrepareAsync(store, catalog, bus.TenantId!, command, ct) is not { } prepared) return;
        var (delivery, customerName, content, authorName, thread, connection) = prepared;
        var connector = connection is null ? null : catalog.Find(connection.Provider);
        if (connection is not { IsEnabled: true } || connector is null)
        {
            await RecordAsync(outbox, bus, command, [new DeliveryFailed(command.EscalationId, command.MessageId, "connection_unavailable",
                "The channel connection was disabled or deleted before the message went out.",
                "Send the reply again: it goes through the channel's current connection, or choose another channel.", clock.GetUtcNow())], null, ct);
            return;
        }

        var outbound = new OutboundMessage(command.MessageId, command.EscalationId, delivery.Channel, delivery.To ?? "", customerName,
            content, delivery.Template, thread, authorName);
        SendOutcome outcome;
        try
        {
            outcome = await connector.SendAsync(outbound, lookup.Open(connection), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Sending message {MessageId} through {Provider} failed; it will be retried", command.MessageId, connection.Provider);
            outcome = new SendOutcome.RetryLater(e.Message);
        }

        var now = clock.GetUtcNow();
        switch (outcome)
        {
            case SendOutcome.Accepted accepted:
                await RecordAsync(outbox, bus, command,
                    [new DeliveryAccepted(command.EscalationId, command.MessageId, connection.Provider, accepted.ProviderMessageId, accepted.State, accepted.Measure?.Segments, now)],
                    session => session.Store(new ChannelMessage
                    {
                        Id = command.MessageId, EscalationId = command.EscalationId, ConnectionId = connection.Id, Direction = "outbound",
                        ProviderMessageId = accepted.ProviderMessageId, At = now,
                    }), ct);
                break;
            case SendOutcome.RetryLater later when command.Attempt <= options.Value.RetryDelays.Length:
                var delay = options.Value.RetryDelays[command.Attempt - 1];
                if (later.RetryAfter > delay) delay = later.RetryAfter.Value;
                await RecordAsync(outbox, bus, command, [new DeliveryDeferred(command.EscalationId, command.MessageId, command.Attempt, later.Error, now + delay, now)],
                    session => session.Store(new ConnectionFailure(connection.Id, null, later.Error, now)), ct, retry: (command with { Attempt = command.Attempt + 1 }, delay));
                break;
            case SendOutcome.RetryLater later:
                var exhausted = $"{connection.Provider} kept failing after {command.Attempt} attempts: {later.Error}";
                await RecordAsync(outbox, bus, command, [new DeliveryFailed(command.EscalationId, command.MessageId, "retries_exhausted",
                    exhausted, "Try another channel, or send again later.", now)], session => session.Store(new ConnectionFailure(connection.Id, "retries_exhausted", exhausted, now)), ct);
                break;
            case SendOutcome.Failed failed:
                await RecordAsync(outbox, bus, command, [new DeliveryFailed(command.EscalationId, command.MessageId, failed.ErrorCode, failed.Error, failed.Suggestion, now)],
                    session => session.Store(new ConnectionFailure(connection.Id, failed.ErrorCode, failed.Error, now)), ct);
                break;
        }
    }

    /// <summary>What one send needs, or null when the message is gone or already settled.</summary>
    sealed record Prepared(MessageDelivery Delivery, string? CustomerName, string Content, string AuthorName, ConversationThread Thread, Connection? Connection);

    /// <summary>
    /// One round trip: the escalation's deliveries and customer (the whole escalation for a message
    /// that does not carry its text) and the connection the message names; a message that names none
    /// reads it in a second. A channel that threads replies (email) then reads the earlier messages'
    /// provider ids; the others skip that read, which grows with the conversation (at 50 messages it
    /// was a third of PostgreSQL's time per SMS reply).
    /// </summary>
    static async Task<Prepared?> PrepareAsync(IDocumentStore store, ConnectorCatalog catalog, string tenantId, DeliverReply command, CancellationToken ct)
    {
        await using var query = store.QuerySession(tenantId);
        var batch = query.CreateBatchQuery();
        var snapshotOf = command.Content is null ? null : batch.Query<Escalation>().Where(e => e.Id == command.EscalationId)
            .Select(e => new DeliverySnapshot { Deliveries = e.Deliveries, CustomerName = e.Customer.Name, Summary = e.Summary }).FirstOrDefault();
        var escalationOf = command.Content is null ? batch.Load<Escalation>(command.EscalationId) : null;
        var connectionOf = command.ConnectionId is { } connectionId ? batch.Load<Connection>(connectionId) : null;
        await batch.Execute(ct);

        var whole = escalationOf is null ? null : await escalationOf;
        var snapshot = snapshotOf is not null ? await snapshotOf
            : whole is null ? null : new DeliverySnapshot { Deliveries = whole.Deliveries, CustomerName = whole.Customer.Name, Summary = whole.Summary };
        var delivery = snapshot?.Deliveries.FirstOrDefault(d => d.MessageId == command.MessageId);
        if (snapshot is null || delivery is null || delivery.IsSettled) return null;

        var entry = whole?.Transcript.First(e => e.Id == command.MessageId);
        var connection = connectionOf is not null && command.ConnectionId == delivery.ConnectionId
            ? await connectionOf
            : await query.LoadAsync<Connection>(delivery.ConnectionId, ct);
        var threads = connection is not null && catalog.Find(connection.Provider)?.CapabilitiesOf(delivery.Channel).ThreadsReplies == true;
        var earlier = threads
            ? await query.Query<ChannelMessage>().Where(m => m.EscalationId == command.EscalationId && m.ProviderMessageId != null).ToListAsync(ct)
            : [];
        var thread = new ConversationThread(snapshot.Summary, earlier.OrderBy(m => m.At).Select(m => m.ProviderMessageId!).ToList(), null);
        return new Prepared(delivery, snapshot.CustomerName, command.Content ?? entry!.Content,
            entry is null ? command.AuthorName ?? "" : entry.Author?.Name ?? "", thread, connection);
    }

    /// <summary>
    /// Appends the outcome under the escalation's lock, so it lands after whatever an operator or
    /// another send committed meanwhile; the scheduled retry, if any, goes through the outbox in the
    /// same transaction.
    /// </summary>
    static async Task RecordAsync(
        OutboxedSessionFactory outbox, IMessageContext bus, DeliverReply command, object[] events, Action<IDocumentSession>? alsoStore, CancellationToken ct,
        (DeliverReply Message, TimeSpan Delay)? retry = null)
    {
        await using var session = outbox.OpenSession(bus);
        var stream = await session.FetchEscalationForExclusiveWritingAsync(command.EscalationId, ct);
        if (stream.Aggregate is null) return;
        stream.AppendMany(events);
        alsoStore?.Invoke(session);
        if (retry is { } next) await bus.ScheduleAsync(next.Message, next.Delay);
        await session.SaveChangesAsync(ct);
    }
}
