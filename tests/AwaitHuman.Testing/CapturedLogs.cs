using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Testing;

/// <summary>One entry the host logged, with the category it came from.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";
}

/// <summary>
/// Keeps what a host logs at <paramref name="minimum"/> or above, whether or not its console shows it
/// (<see cref="AddTo"/>).
/// </summary>
public sealed class CapturedLogs(LogLevel minimum) : ILoggerProvider
{
    readonly ConcurrentQueue<CapturedLog> _entries = new();
    readonly LogLevel _minimum = minimum;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>Adds these logs to a host's services, whatever levels its configuration sets per category.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        // A rule for this provider wins over the configuration's rules for categories, so nothing they hide is missed here.
        services.Configure<LoggerFilterOptions>(options => options.AddFilter<CapturedLogs>(null, _minimum));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // None is no level: Wolverine logs what it was told not to show at None.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= logs._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) logs._entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception));
        }
    }
}
