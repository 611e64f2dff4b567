using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core;

public static class RetrySchedules
{
    /// <summary>
    /// Binds <paramref name="section"/> onto the options, with one difference from the binder: a
    /// configured retry schedule replaces the default one, where the binder would append its items to it.
    /// </summary>
    public static OptionsBuilder<T> BindWithRetrySchedule<T>(this OptionsBuilder<T> builder, IConfigurationSection section, string scheduleKey, Action<T, TimeSpan[]> replaceSchedule)
        where T : class =>
        builder.Configure(options =>
        {
            section.Bind(options);
            if (section.GetSection(scheduleKey).Get<TimeSpan[]>() is { Length: > 0 } delays) replaceSchedule(options, delays);
        });
}
