namespace AwaitHuman.Core.Channels;

/// <summary>How replies to customers are sent (section <c>Channels</c>).</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>
    /// Waits before each retry of a send the provider asked to retry (429, 5xx, timeouts), about
    /// 3 hours in all; a longer <c>Retry-After</c> from the provider wins. After the last, the
    /// message is reported failed with a suggestion.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(1),
    ];

    /// <summary>
    /// Sends go through a durable local queue (the default: a crash loses nothing). Off only for the
    /// benchmark that measures what durability costs.
    /// </summary>
    public bool DurableSending { get; set; } = true;
}
