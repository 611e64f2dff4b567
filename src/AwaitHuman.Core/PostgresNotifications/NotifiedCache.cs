using System.Collections.Concurrent;

namespace AwaitHuman.Core.PostgresNotifications;

/// <summary>
/// What this node read of data any node may change, kept only while a <see cref="PostgresListener"/>
/// hears every change: each change's NOTIFY, delivered on commit, makes it forget; while nothing
/// listens it keeps nothing and every read goes to PostgreSQL. A value read while a change committed
/// may predate that change and is not kept. Entries also expire after <paramref name="lifetime"/>,
/// a bound for changes made behind the application's back (SQL by hand), which send no NOTIFY.
/// </summary>
public sealed class NotifiedCache<TKey, TValue>(TimeProvider clock, TimeSpan lifetime) where TKey : notnull where TValue : class
{
    readonly ConcurrentDictionary<TKey, (TValue Value, DateTimeOffset ReadAt)> _entries = new();
    long _generation;
    volatile bool _listening;

    /// <summary>The value kept for <paramref name="key"/>, else what <paramref name="read"/> returns (kept when not null).</summary>
    public async Task<TValue?> GetAsync(TKey key, Func<Task<TValue?>> read)
    {
        var now = clock.GetUtcNow();
        if (_listening && _entries.TryGetValue(key, out var entry) && now - entry.ReadAt < lifetime) return entry.Value;

        var generation = Interlocked.Read(ref _generation);
        var value = await read();
        if (value is not null && _listening && Interlocked.Read(ref _generation) == generation)
            _entries[key] = (value, now);
        return value;
    }

    /// <summary>How many times this node has forgotten: it moves when a change's notification arrives.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Forget(TKey key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key, out _);
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>Listening (again), or not: either way anything kept may have changed unheard.</summary>
    public void Listening(bool listening)
    {
        _listening = listening;
        ForgetAll();
    }
}
