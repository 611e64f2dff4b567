using AwaitHuman.Connectors;
using AwaitHuman.Core.Escalations;

namespace AwaitHuman.Core.Channels.Sending;

/// <summary>
/// A route as <see cref="ReplyRoutes.ChooseAsync"/> chose it, with the customer's record on the
/// channel it read for that (a new one when there was none), so sending remembers the conversation
/// without reading it again. The event stores only the <see cref="ReplyRoute"/>: the escalation
/// knows nothing of channel documents.
/// </summary>
sealed record ChosenReplyRoute(string Channel, Guid ConnectionId, string Provider, string? To, MessageTemplate? Template)
    : ReplyRoute(Channel, ConnectionId, Provider, To, Template)
{
    /// <summary>Never stored with the event.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CustomerChannel? Customer { get; init; }
}
