using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Escalations;
using Marten;

namespace AwaitHuman.Core.Channels.Sending;

/// <summary>
/// Chooses how an operator's message reaches the customer and checks the channel's rules before
/// anything is stored: an address for the channel, a connection serving it, the text's length,
/// opt-outs, and WhatsApp's 24-hour window (outside it only a template goes).
/// </summary>
public static class ReplyRoutes
{
    public static async Task<(ReplyRoute? Route, Refusal? Refusal)> ChooseAsync(
        IQuerySession session, ConnectorCatalog catalog, Escalation escalation, string? requestedChannel, MessageTemplate? template, string text,
        DateTimeOffset now, CancellationToken ct)
    {
        var channel = requestedChannel ?? escalation.Channel;
        var to = CustomerChannel.AddressOf(escalation.Customer, channel, escalation.ExternalRef);
        if (channel != ChannelKinds.Agent && to is null)
            return Refuse($"The customer has no {channel} address on this escalation; reply on {Offered(escalation)}.");

        // The channel's connection and what we know of this customer on it, in one round trip.
        var batch = session.CreateBatchQuery();
        var connectionOf = ConnectionLookup.ForChannel(batch, channel);
        var customerOf = to is null ? null : batch.Load<CustomerChannel>(CustomerChannel.IdOf(channel, to));
        await batch.Execute(ct);
        var connection = await connectionOf;
        var connector = connection is null ? null : catalog.Find(connection.Provider);
        if (connection is null || connector is null)
            return Refuse($"No {channel} channel is connected for this tenant; an admin connects one under /v1/channel-connections, or reply on another channel.");

        var capabilities = connector.CapabilitiesOf(channel);
        if (template is not null && !capabilities.SupportsTemplates)
            return Refuse($"{channel} through {connection.Provider} does not send templates; send text instead.", 422);
        if (template is null && text.Length > capabilities.MaxTextLength)
            return Refuse($"{channel} takes at most {capabilities.MaxTextLength:N0} characters; this reply has {text.Length:N0}.", 422);

        var customer = customerOf is null ? null : await customerOf;
        if (capabilities.HonoursOptOut && customer?.OptedOutAt is { } optedOut)
            return Refuse($"The customer opted out of {channel} (STOP) on {optedOut:u}; they must send START again, or reply on another channel.");
        if (capabilities.MessagingWindow is { } window && template is null)
        {
            var closesAt = LastHeardAt(escalation, channel, customer) + window;
            if (closesAt is null || closesAt <= now)
                return Refuse(closesAt is null
                    ? $"The customer has not written on {channel} yet, so its {window.TotalHours:0}-hour window is not open: send an approved template (template.content_sid) or reply on another channel."
                    : $"The {channel} {window.TotalHours:0}-hour window closed at {closesAt:u}: send an approved template (template.content_sid) or reply on another channel.");
        }
        return (new ChosenReplyRoute(channel, connection.Id, connection.Provider, to, template)
        {
            Customer = to is null ? null : customer ?? new CustomerChannel { Id = CustomerChannel.IdOf(channel, to), Channel = channel, Address = to },
        }, null);
    }

    /// <summary>
    /// When the customer last wrote on <paramref name="channel"/>: to us through a provider, or to the
    /// agent while preferring this channel (the agent talked with them there before escalating).
    /// </summary>
    public static DateTimeOffset? LastHeardAt(Escalation escalation, string channel, CustomerChannel? customer)
    {
        var inTranscript = escalation.Transcript
            .Where(entry => entry.Role == TranscriptRoles.Customer &&
                (entry.Channel == channel || (entry.Channel == ChannelKinds.Agent && escalation.Customer.PreferredChannel == channel)))
            .Select(entry => (DateTimeOffset?)entry.At)
            .Max();
        return customer?.LastInboundAt > inTranscript || inTranscript is null ? customer?.LastInboundAt : inTranscript;
    }

    static (ReplyRoute?, Refusal?) Refuse(string detail, int status = 409) => (null, new Refusal(status, detail));

    static string Offered(Escalation escalation) =>
        string.Join(" or ", ChannelKinds.All.Where(channel => channel == ChannelKinds.Agent || CustomerChannel.AddressOf(escalation.Customer, channel, escalation.ExternalRef) is not null));
}
