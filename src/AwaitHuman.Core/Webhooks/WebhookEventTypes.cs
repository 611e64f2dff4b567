using AwaitHuman.Core.Escalations;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// The event types an endpoint may subscribe to: the public escalation events (the same names as
/// the escalation's event stream over SSE), or <see cref="All"/>.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>Every event type, including ones added later.</summary>
    public const string All = "*";

    /// <summary>Sent only by <c>POST /v1/webhook-endpoints/{id}/test</c>, to that endpoint, whatever it subscribes to.</summary>
    public const string Test = "webhook.test";

    public static IReadOnlyCollection<string> Escalation => EscalationFeed.EventTypes;

    public static bool IsKnown(string type) => type == All || Escalation.Contains(type);
}
