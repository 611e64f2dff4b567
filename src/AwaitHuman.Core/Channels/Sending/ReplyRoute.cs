using AwaitHuman.Connectors;

namespace AwaitHuman.Core.Channels.Sending;

/// <summary>How one operator message reaches the customer: the channel, the tenant's connection serving it, the address.</summary>
/// <param name="To">The customer's address on the channel; null for the agent relay.</param>
/// <param name="Template">Sent instead of free text (WhatsApp outside its 24-hour window).</param>
public sealed record ReplyRoute(string Channel, Guid ConnectionId, string Provider, string? To, MessageTemplate? Template = null)
{
    /// <summary>
    /// The customer's record on the channel as the route was chosen (a new one when there was none),
    /// so sending remembers the conversation without reading it again. Never stored with the event.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CustomerChannel? Customer { get; init; }
}
