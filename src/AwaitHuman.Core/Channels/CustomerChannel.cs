namespace AwaitHuman.Core.Channels;

/// <summary>
/// One customer address on one channel of a tenant (<c>whatsapp:+4915112345678</c>): when they last
/// wrote (WhatsApp's 24-hour window runs from there), whether they opted out with STOP, and the
/// escalation their messages go to when a provider does not say.
/// </summary>
public sealed class CustomerChannel
{
    public string Id { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Address { get; set; } = "";
    public DateTimeOffset? LastInboundAt { get; set; }
    public DateTimeOffset? OptedOutAt { get; set; }
    public Guid? LastEscalationId { get; set; }

    public static string IdOf(string channel, string address) => $"{channel}:{address}";

    /// <summary>The address of <paramref name="customer"/> on <paramref name="channel"/>; WhatsApp falls back to the phone number.</summary>
    public static string? AddressOf(Escalations.Customer customer, string channel, string? externalRef) => channel switch
    {
        Connectors.ChannelKinds.WhatsApp => Normalize(channel, customer.Whatsapp ?? customer.Phone),
        Connectors.ChannelKinds.Sms => Normalize(channel, customer.Phone),
        Connectors.ChannelKinds.Email => Normalize(channel, customer.Email),
        Connectors.ChannelKinds.WebChat => externalRef,
        _ => null,
    };

    public static string? Normalize(string channel, string? address) => address?.Trim() switch
    {
        null or "" => null,
        var email when channel == Connectors.ChannelKinds.Email => email.ToLowerInvariant(),
        var phone when phone.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) => phone["whatsapp:".Length..],
        var other => other,
    };
}
