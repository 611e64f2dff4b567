namespace AwaitHuman.Core.Channels;

/// <summary>
/// A message that crossed a channel, by our id, with the provider's id once known: how delivery
/// reports and email replies (In-Reply-To) find their escalation.
/// </summary>
public sealed class ChannelMessage
{
    /// <summary>Ours: the transcript entry's id.</summary>
    public Guid Id { get; set; }
    public Guid EscalationId { get; set; }
    public Guid ConnectionId { get; set; }
    /// <summary><c>outbound</c> or <c>inbound</c>.</summary>
    public string Direction { get; set; } = "";
    public string? ProviderMessageId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A provider event already processed (message or status callback), kept 8 days so a late duplicate is recognised.</summary>
public sealed class InboundReceipt
{
    /// <summary><c>{connection id}:{provider event id}</c>.</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }

    public static string IdOf(Guid connectionId, string kind, string providerEventId) => $"{connectionId}:{kind}:{providerEventId}";
}
