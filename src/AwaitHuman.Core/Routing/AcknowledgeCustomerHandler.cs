using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Channels.Sending;
using AwaitHuman.Core.Escalations;
using Marten;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace AwaitHuman.Core.Routing;

/// <summary>
/// Sends a routing rule's acknowledgement ("we will reply by ...") on the customer's channel, under
/// the same rules as an operator's reply. When the channel cannot take it (no connection, WhatsApp's
/// window closed, opted out) nothing is sent: an acknowledgement is a courtesy, not worth a template.
/// </summary>
public static class AcknowledgeCustomerHandler
{
    public static async Task Handle(
        AcknowledgeCustomer message, IDocumentSession session, IMessageBus bus, ConnectorCatalog catalog, TimeProvider clock,
        ILogger<AcknowledgeCustomer> logger, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForExclusiveWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is not { IsFinal: false } escalation) return;
        var now = clock.GetUtcNow();
        var (route, refusal) = await ReplyRoutes.ChooseAsync(session, catalog, escalation, message.Channel, null, message.Message, now, ct);
        if (refusal is not null)
        {
            logger.LogInformation("The acknowledgement of escalation {EscalationId} was not sent on {Channel}: {Reason}", escalation.Id, message.Channel, refusal.Detail);
            return;
        }
        var sent = new AutomaticMessageSent(escalation.Id,
            new TranscriptEntry(Guid.CreateVersion7(now), TranscriptRoles.System, message.Message, now, Participant.System, route!.Channel), route, now);
        stream.AppendOne(sent);
        await OutboundReplies.EnqueueAsync(session, bus, [sent]);
    }
}
