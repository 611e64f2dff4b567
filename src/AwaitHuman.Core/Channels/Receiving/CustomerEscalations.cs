using AwaitHuman.Connectors;
using AwaitHuman.Core.Escalations;
using Marten;

namespace AwaitHuman.Core.Channels.Receiving;

public static class CustomerEscalations
{
    /// <summary>
    /// The escalation a customer address is talking in when nothing names it: the unfinished one an
    /// operator last wrote to it from, else the customer's newest unfinished one on this channel, else
    /// the last one written from.
    /// </summary>
    public static async Task<Guid?> CurrentAsync(IQuerySession session, CustomerChannel customer, CancellationToken ct)
    {
        if (customer.LastEscalationId is { } last && await session.LoadAsync<Escalation>(last, ct) is { IsFinal: false }) return last;

        var address = customer.Address;
        var open = session.Query<Escalation>().Where(e => e.Status != EscalationStatuses.Resolved && e.Status != EscalationStatuses.Cancelled && e.Status != EscalationStatuses.TimedOut);
        open = customer.Channel switch
        {
            ChannelKinds.WhatsApp => open.Where(e => e.Customer.Whatsapp == address || e.Customer.Phone == address),
            ChannelKinds.Sms => open.Where(e => e.Customer.Phone == address),
            ChannelKinds.Email => open.Where(e => e.Customer.Email == address),
            ChannelKinds.WebChat => open.Where(e => e.ExternalRef == address),
            _ => open.Where(e => false),
        };
        var newestOpen = await open.OrderByDescending(e => e.CreatedAt).Select(e => e.Id).FirstOrDefaultAsync(ct);
        return newestOpen != Guid.Empty ? newestOpen : customer.LastEscalationId;
    }
}
