using System.Collections.Concurrent;
using AwaitHuman.Core.PostgresNotifications;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.Escalations.Waiting;

/// <summary>
/// Wakes waiters (long polls, event streams) on every node when an escalation changes. Each commit
/// that appends to an escalation sends a PostgreSQL NOTIFY in its own transaction
/// (<see cref="EscalationChangeNotifier"/>); every node LISTENs on one connection and wakes the
/// local waiters of that escalation. No extra server, and a node hears its own commits the same way.
/// </summary>
public sealed class EscalationSignals(IDocumentStore store, ConsolePresence presence, IHostApplicationLifetime lifetime, ILogger<EscalationSignals> logger)
    : PostgresListener(store, logger, Channel)
{
    public const string Channel = "awaithuman_escalations";

    /// <summary>
    /// Cancelled when this node starts to shut down: open long polls answer with the state as it is
    /// and event streams end, at once, so a rolling deploy does not wait out parked agents (they
    /// simply wait again, on another node).
    /// </summary>
    public CancellationToken NodeStopping => lifetime.ApplicationStopping;

    readonly ConcurrentDictionary<string, ConcurrentDictionary<Watch, byte>> _watches = new();
    readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node hears notifications; tests and the readiness of waiters use it.</summary>
    public Task Listening => _listening.Task;

    public static string KeyOf(string tenantId, Guid escalationId) => $"{tenantId}/{escalationId}";

    /// <summary>Starts watching an escalation; read its state after this, then wait, so no change slips between.</summary>
    public Watch Watch(string tenantId, Guid escalationId)
    {
        var watch = new Watch(this, KeyOf(tenantId, escalationId));
        _watches.GetOrAdd(watch.Key, _ => new()).TryAdd(watch, 0);
        return watch;
    }

    /// <summary>
    /// Starts watching every escalation of a tenant (the live inbox): woken by each change of any of
    /// them, not by typing or presence notices. Read after this, then wait, as with <see cref="Watch(string, Guid)"/>.
    /// </summary>
    public Watch WatchTenant(string tenantId)
    {
        var watch = new Watch(this, TenantKeyOf(tenantId));
        _watches.GetOrAdd(watch.Key, _ => new()).TryAdd(watch, 0);
        return watch;
    }

    /// <summary>No escalation's key ends in '*', so tenant watches never collide with one.</summary>
    static string TenantKeyOf(string tenantId) => $"{tenantId}/*";

    internal void Forget(Watch watch)
    {
        if (_watches.TryGetValue(watch.Key, out var set)) set.TryRemove(watch, out _);
    }

    /// <summary>Typing notices share the channel (as do <see cref="ConsolePresence"/>'s), as <c>typing|{key}|{party}|{name}</c>; they wake watchers without a change.</summary>
    public const string TypingPrefix = "typing|";

    void Wake(string payload)
    {
        if (payload.StartsWith(TypingPrefix, StringComparison.Ordinal))
        {
            var parts = payload.Split('|', 4);
            if (parts.Length == 4 && _watches.TryGetValue(parts[1], out var watchers))
                foreach (var watch in watchers.Keys) watch.SignalTyping(parts[2], parts[3].Length == 0 ? null : parts[3]);
            return;
        }
        if (payload.StartsWith(ConsolePresence.Prefix, StringComparison.Ordinal))
        {
            if (presence.Heard(payload) is { } key) Signal(key);
            return;
        }
        Signal(payload);
        if (payload.IndexOf('/') is > 0 and var slash) Signal(TenantKeyOf(payload[..slash]));
    }

    void Signal(string key)
    {
        if (_watches.TryGetValue(key, out var set))
            foreach (var watch in set.Keys) watch.Signal();
    }

    void WakeAll()
    {
        foreach (var set in _watches.Values)
            foreach (var watch in set.Keys) watch.Signal();
    }

    protected override void OnNotification(string payload) => Wake(payload);

    protected override void OnListening()
    {
        WakeAll();
        _listening.TrySetResult();
    }
}

/// <summary>One waiter's interest in one escalation, or in all of a tenant's. Changes that arrive between waits are not lost.</summary>
public sealed class Watch : IDisposable
{
    readonly EscalationSignals _signals;
    readonly SemaphoreSlim _changed = new(0, 1);

    internal Watch(EscalationSignals signals, string key)
    {
        _signals = signals;
        Key = key;
    }

    internal string Key { get; }

    readonly System.Collections.Concurrent.ConcurrentQueue<(string Party, string? Name)> _typing = new();

    internal void Signal()
    {
        lock (_changed)
            if (_changed.CurrentCount == 0) _changed.Release();
    }

    internal void SignalTyping(string party, string? name)
    {
        _typing.Enqueue((party, name));
        Signal();
    }

    /// <summary>Typing notices heard since the last call; a wake may have been for these alone.</summary>
    public IReadOnlyList<(string Party, string? Name)> TakeTyping()
    {
        var taken = new List<(string, string?)>();
        while (_typing.TryDequeue(out var notice)) taken.Add(notice);
        return taken;
    }

    /// <summary>True when the escalation changed, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> ChangedAsync(TimeSpan timeout, CancellationToken ct) => _changed.WaitAsync(timeout, ct);

    /// <summary>
    /// Stops watching. The semaphore is deliberately not disposed: the listener may be signalling this
    /// watch at the same moment, and a SemaphoreSlim that never handed out a wait handle holds nothing to free.
    /// </summary>
    public void Dispose() => _signals.Forget(this);
}

/// <summary>Adds a NOTIFY to every transaction that appends to an escalation; PostgreSQL delivers it on commit only.</summary>
public sealed class EscalationChangeNotifier : DocumentSessionListenerBase
{
    static readonly string EventNamespace = typeof(Escalation).Namespace!;

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
            if (stream.AggregateType == typeof(Escalation) || stream.Events.Any(e => e.EventType.Namespace == EventNamespace))
                SignalOnCommit(session, stream.Id);
        return Task.CompletedTask;
    }

    /// <summary>Wakes every node's watchers of this escalation (and its tenant) when the session commits.</summary>
    public static void SignalOnCommit(IDocumentSession session, Guid escalationId) =>
        session.QueueSqlCommand($"select pg_notify('{EscalationSignals.Channel}', ?)", EscalationSignals.KeyOf(session.TenantId, escalationId));
}
