using System.Text.Json;

namespace AwaitHuman.Client;

/// <summary>One event of an escalation's stream (<see cref="IAwaitHumanClient.StreamEventsAsync"/>).</summary>
public sealed record EscalationEvent
{
    /// <summary>Its position in the escalation's stream: resume after it with this as <c>lastEventId</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The event's type, e.g. <c>escalation.claimed</c>, <c>escalation.resolved</c> (the same names as webhooks).</summary>
    public required string Type { get; init; }

    /// <summary>The event in the API's snake_case; resolved, cancelled, timed-out and approval-decided events carry <c>hand_back</c>.</summary>
    public JsonElement Data { get; init; }

    /// <summary>The hand-back, on the events that end a human's work.</summary>
    public HandBack? HandBack =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("hand_back", out var handBack) && handBack.ValueKind == JsonValueKind.Object
            ? handBack.Deserialize<HandBack>(AwaitHumanJson.Options)
            : null;

    /// <summary>The data as a type of your own, read with the API's JSON conventions.</summary>
    public T? DataAs<T>() => Data.Deserialize<T>(AwaitHumanJson.Options);
}
