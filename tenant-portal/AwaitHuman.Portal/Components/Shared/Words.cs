using AwaitHuman.Connectors;
using AwaitHuman.Core.Escalations;

namespace AwaitHuman.Portal.Components.Shared;

/// <summary>How the console says the API's codes to people.</summary>
public static class Words
{
    public static string Status(string status) => status switch
    {
        EscalationStatuses.WaitingForHuman => "Waiting for a human",
        EscalationStatuses.WithHuman => "With a human",
        EscalationStatuses.Resolved => "Resolved",
        EscalationStatuses.Cancelled => "Cancelled",
        EscalationStatuses.TimedOut => "Timed out",
        _ => status,
    };

    public static string Kind(string kind) => kind switch
    {
        EscalationKinds.Handoff => "Handoff",
        EscalationKinds.Approval => "Approval",
        EscalationKinds.Question => "Question",
        _ => kind,
    };

    public static string Channel(string channel) => channel switch
    {
        ChannelKinds.WhatsApp => "WhatsApp",
        ChannelKinds.Sms => "SMS",
        ChannelKinds.Email => "Email",
        ChannelKinds.WebChat => "Web chat",
        ChannelKinds.Agent => "Agent relay",
        _ => channel,
    };

    /// <summary>"2h 05m", "4m 09s", "12s".</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds:00}s"
        : $"{Math.Max(0, (int)span.TotalSeconds)}s";
}
