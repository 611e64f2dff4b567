using Marten;
using Npgsql;

namespace AwaitHuman.Core.Escalations.Waiting;

/// <summary>An operator with an escalation open in the console, as last heard.</summary>
/// <param name="Activity"><c>viewing</c> or <c>typing</c>.</param>
public sealed record PresentOperator(Guid PersonId, string Name, string Activity, DateTimeOffset Seen);

/// <summary>
/// Who has which escalation open in the console, on every node, for the warning "Anna is also
/// viewing". Pages announce themselves every few seconds over the escalations' NOTIFY channel; every
/// node's <see cref="EscalationSignals"/> hears the notice, records it here and wakes the watches of
/// that escalation. Nothing is stored: a presence nobody renews simply expires.
/// </summary>
public sealed class ConsolePresence(IDocumentStore store, TimeProvider clock)
{
    public const string Viewing = "viewing";
    public const string Typing = "typing";
    const string Left = "left";

    /// <summary>Pages announce every 5 s: three missed announcements and the operator is gone.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    /// <summary>Typing is announced per burst of keystrokes; without one for this long the operator is reading again.</summary>
    public static readonly TimeSpan TypingLasts = TimeSpan.FromSeconds(4);

    /// <summary>Shares the escalations' channel as <c>presence|{tenant}/{escalation}|{person}|{activity}|{name}</c>; the name goes last as it may hold '|'.</summary>
    public const string Prefix = "presence|";

    const int MaxNameLength = 200;

    sealed record Entry(string Name, DateTimeOffset Seen, DateTimeOffset? TypedAt);

    // A lock rather than concurrent maps: notices are few (one per open page every few seconds) and
    // emptied escalations must be dropped without racing a notice that adds to them.
    readonly Dictionary<string, Dictionary<Guid, Entry>> _present = new();
    readonly Lock _lock = new();

    /// <param name="activity"><see cref="Viewing"/> or <see cref="Typing"/>.</param>
    public Task AnnounceAsync(string tenantId, Guid escalationId, Guid personId, string name, string activity, CancellationToken ct)
    {
        if (activity is not (Viewing or Typing)) throw new ArgumentOutOfRangeException(nameof(activity), activity, "The activity is viewing or typing.");
        var shortName = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
        return NotifyAsync(PayloadOf(tenantId, escalationId, personId, activity, shortName), ct);
    }

    public Task LeaveAsync(string tenantId, Guid escalationId, Guid personId, CancellationToken ct) =>
        NotifyAsync(PayloadOf(tenantId, escalationId, personId, Left, ""), ct);

    /// <summary>The operators present on the escalation now, by name.</summary>
    public IReadOnlyList<PresentOperator> Of(string tenantId, Guid escalationId)
    {
        var key = EscalationSignals.KeyOf(tenantId, escalationId);
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (!_present.TryGetValue(key, out var people)) return [];
            foreach (var (personId, entry) in people.ToList())
                if (now - entry.Seen > Expiry) people.Remove(personId);
            if (people.Count == 0) _present.Remove(key);
            return [.. people
                .Select(p => new PresentOperator(p.Key, p.Value.Name, p.Value.TypedAt is { } typed && now - typed <= TypingLasts ? Typing : Viewing, p.Value.Seen))
                .OrderBy(p => p.Name, StringComparer.Ordinal)];
        }
    }

    internal static string PayloadOf(string tenantId, Guid escalationId, Guid personId, string activity, string name) =>
        $"{Prefix}{EscalationSignals.KeyOf(tenantId, escalationId)}|{personId}|{activity}|{name}";

    /// <summary>Records a notice heard on the channel; returns the escalation's key to wake, or null for a malformed notice.</summary>
    internal string? Heard(string payload)
    {
        var parts = payload.Split('|', 5);
        if (parts.Length != 5 || !Guid.TryParse(parts[2], out var personId)) return null;
        var (key, activity, name) = (parts[1], parts[3], parts[4]);
        // Seen by this node's clock: nodes' clocks may differ, and expiry is judged here.
        var now = clock.GetUtcNow();
        if (activity is not (Viewing or Typing or Left)) return null;
        lock (_lock)
        {
            if (activity == Left)
            {
                if (_present.TryGetValue(key, out var people) && people.Remove(personId) && people.Count == 0) _present.Remove(key);
                return key;
            }
            if (!_present.TryGetValue(key, out var present)) _present[key] = present = new();
            var typedAt = activity == Typing ? now : present.GetValueOrDefault(personId)?.TypedAt;
            present[personId] = new Entry(name, now, typedAt);
            SweepExpired(now);
        }
        return key;
    }

    /// <summary>Drops escalations whose pages all closed without leaving (a crashed browser), so the map stays small.</summary>
    void SweepExpired(DateTimeOffset now)
    {
        if (now - _sweptAt < Expiry) return;
        _sweptAt = now;
        foreach (var (key, people) in _present.ToList())
        {
            foreach (var (personId, entry) in people.ToList())
                if (now - entry.Seen > Expiry) people.Remove(personId);
            if (people.Count == 0) _present.Remove(key);
        }
    }

    DateTimeOffset _sweptAt;

    async Task NotifyAsync(string payload, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var notify = new NpgsqlCommand("select pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", EscalationSignals.Channel);
        notify.Parameters.AddWithValue("payload", payload);
        await notify.ExecuteNonQueryAsync(ct);
    }
}
