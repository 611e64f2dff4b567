using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Escalations;
using JasperFx;
using Marten;

namespace AwaitHuman.Core.Channels.Receiving;

/// <summary>
/// Where connectors hand over what providers said. Each provider event is processed once: its
/// receipt commits with the event it causes, so a duplicate delivered at the same moment loses on
/// the receipt's key and changes nothing. Appends take their turn on the escalation's lock, like
/// every other writer of it, so they never conflict with an operator's command.
/// </summary>
public sealed class ChannelInbox(IDocumentStore store, ConnectionLookup connections, TimeProvider clock) : IChannelInbox
{
    public Task<ChannelConnection?> FindConnectionAsync(string provider, Guid connectionId, CancellationToken cancellationToken) =>
        connections.FindAnyTenantAsync(provider, connectionId, cancellationToken);

    public async Task<InboundResult> ReceiveAsync(ChannelConnection connection, InboundMessage message, CancellationToken ct)
    {
        var from = CustomerChannel.Normalize(message.Channel, message.From) ?? throw new ArgumentException("An inbound message needs the sender's address.", nameof(message));
        var receiptId = InboundReceipt.IdOf(connection.Id, "message", message.ProviderMessageId);
        await using var session = store.LightweightSession(connection.TenantId);
        if (await session.LoadAsync<InboundReceipt>(receiptId, ct) is not null) return InboundResult.Duplicate;
        var now = clock.GetUtcNow();
        session.Insert(new InboundReceipt { Id = receiptId, ReceivedAt = now });

        var customer = await session.LoadAsync<CustomerChannel>(CustomerChannel.IdOf(message.Channel, from), ct)
            ?? new CustomerChannel { Id = CustomerChannel.IdOf(message.Channel, from), Channel = message.Channel, Address = from };
        if (customer.LastInboundAt is null || customer.LastInboundAt < message.At) customer.LastInboundAt = message.At;
        if (message.Consent == ConsentChanges.OptOut) customer.OptedOutAt = message.At;
        if (message.Consent == ConsentChanges.OptIn) customer.OptedOutAt = null;

        var escalationId = await FindEscalationAsync(session, message, customer, ct);
        if (escalationId is { } id && await session.FetchEscalationForExclusiveWritingAsync(id, ct) is { Aggregate: { } escalation } stream)
        {
            var entry = new TranscriptEntry(Guid.CreateVersion7(now), TranscriptRoles.Customer, message.Text, message.At,
                new Participant(TranscriptRoles.Customer, from, message.FromName ?? escalation.Customer.Name ?? from), message.Channel,
                message.Html, StoreAttachments(session, escalation.Id, message.Attachments, now));
            // A customer's words are never dropped, even on a finished escalation: the agent hears of them.
            stream.AppendOne(new CustomerReplied(escalation.Id, entry, now));
            session.Store(new ChannelMessage
            {
                Id = entry.Id, EscalationId = escalation.Id, ConnectionId = connection.Id, Direction = "inbound",
                ProviderMessageId = message.ProviderMessageId, At = now,
            });
            customer.LastEscalationId = escalation.Id;
            escalationId = escalation.Id;
        }
        else
        {
            escalationId = null;
        }
        session.Store(customer);

        try
        {
            await session.SaveChangesAsync(ct);
            return escalationId is null ? InboundResult.NoEscalation : InboundResult.Accepted;
        }
        catch (DocumentAlreadyExistsException)
        {
            return InboundResult.Duplicate;
        }
    }

    public async Task<InboundResult> ReportAsync(ChannelConnection connection, DeliveryReport report, CancellationToken ct)
    {
        if (!DeliveryStates.All.Contains(report.State)) throw new ArgumentException($"Unknown delivery state {report.State}.", nameof(report));
        var receiptId = InboundReceipt.IdOf(connection.Id, "status", report.ProviderEventId);
        await using var session = store.LightweightSession(connection.TenantId);
        if (await session.LoadAsync<InboundReceipt>(receiptId, ct) is not null) return InboundResult.Duplicate;

        var sent = report.MessageId is { } messageId
            ? await session.LoadAsync<ChannelMessage>(messageId, ct)
            : await session.Query<ChannelMessage>().FirstOrDefaultAsync(m => m.ProviderMessageId == report.ProviderMessageId && m.Direction == "outbound", ct);
        if (sent is null || sent.ConnectionId != connection.Id) return InboundResult.NoEscalation;

        var stream = await session.FetchEscalationForExclusiveWritingAsync(sent.EscalationId, ct);
        if (stream.Aggregate is null) return InboundResult.NoEscalation;
        var now = clock.GetUtcNow();
        session.Insert(new InboundReceipt { Id = receiptId, ReceivedAt = now });
        stream.AppendOne(new DeliveryStatusReported(sent.EscalationId, sent.Id, report.ProviderMessageId, report.State, report.ErrorCode, report.ErrorMessage, report.At));
        if (sent.ProviderMessageId is null)
        {
            sent.ProviderMessageId = report.ProviderMessageId;
            session.Store(sent);
        }

        try
        {
            await session.SaveChangesAsync(ct);
            return InboundResult.Accepted;
        }
        catch (DocumentAlreadyExistsException)
        {
            return InboundResult.Duplicate;
        }
    }

    /// <summary>
    /// The escalation a message answers: the one it names, else the one whose message it replies to
    /// (email), else the customer's current one (<see cref="CustomerEscalations.CurrentAsync"/>).
    /// </summary>
    static async Task<Guid?> FindEscalationAsync(IDocumentSession session, InboundMessage message, CustomerChannel customer, CancellationToken ct)
    {
        if (message.EscalationId is { } named) return named;
        if (message.InReplyTo is { Count: > 0 } inReplyTo)
        {
            var ids = inReplyTo.ToArray();
            var answered = await session.Query<ChannelMessage>().Where(m => m.ProviderMessageId!.IsOneOf(ids)).OrderByDescending(m => m.At).FirstOrDefaultAsync(ct);
            if (answered is not null) return answered.EscalationId;
        }
        return await CustomerEscalations.CurrentAsync(session, customer, ct);
    }

    static AttachmentInfo[]? StoreAttachments(IDocumentSession session, Guid escalationId, IReadOnlyList<InboundAttachment>? attachments, DateTimeOffset now)
    {
        if (attachments is not { Count: > 0 }) return null;
        return attachments.Select(file =>
        {
            var stored = new CustomerAttachment
            {
                Id = Guid.CreateVersion7(now), EscalationId = escalationId, FileName = file.FileName, ContentType = file.ContentType, Content = file.Content, ReceivedAt = now,
            };
            session.Store(stored);
            return new AttachmentInfo(stored.Id, stored.FileName, stored.ContentType, file.Content.LongLength);
        }).ToArray();
    }
}
