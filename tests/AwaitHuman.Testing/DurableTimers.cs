using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace AwaitHuman.Testing;

/// <summary>
/// Wolverine's durable timers (scheduled messages) as tests drive them. Wolverine keeps a timer in its
/// inbox table and its scheduled-job poller runs it once the wall clock passes its time, a clock no
/// <see cref="TimeProvider"/> reaches. So a test does not wait for a timer: it moves the timer's time
/// to now, and the poller runs it through the same durable path it would have taken then.
/// </summary>
public static class DurableTimers
{
    const string Inbox = "wolverine.wolverine_incoming_envelopes";
    const string DeadLetters = "wolverine.wolverine_dead_letters";
    const string Scheduled = "Scheduled";
    const string Incoming = "Incoming";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Wolverine polls for due timers every 5 s; a node made with this looks several times a second.</summary>
    public static void PollPromptly(IServiceCollection services) =>
        services.ConfigureWolverine(opts =>
        {
            opts.Durability.ScheduledJobFirstExecution = TimeSpan.Zero;
            opts.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(200);
        });

    /// <summary>When the pending timers of <paramref name="messageType"/> that name <paramref name="subject"/> are due, earliest first.</summary>
    public static async Task<DateTimeOffset[]> DueTimesAsync(string connectionString, string messageType, Guid subject) =>
        [.. (await PendingAsync(connectionString, messageType, subject)).Select(timer => timer.DueAt!.Value)];

    /// <summary>
    /// Makes the earliest pending timer of <paramref name="messageType"/> that names <paramref name="subject"/>
    /// due now, as if its time had come, and returns when it was due. A node running (or started later) runs it.
    /// </summary>
    public static async Task<(Guid EnvelopeId, DateTimeOffset DueAt)> MakeNextDueAsync(string connectionString, string messageType, Guid subject)
    {
        // Scheduled through the outbox, a timer may reach the inbox a moment after what scheduled it is seen.
        var next = (await Eventually.GetAsync(async () => (await PendingAsync(connectionString, messageType, subject)) is [var first, ..] ? new[] { first } : null,
            Patience, $"a pending {messageType} timer for {subject}"))[0];
        await MakeDueAsync(connectionString, next.EnvelopeId);
        return (next.EnvelopeId, next.DueAt ?? DateTimeOffset.MinValue);
    }

    /// <summary>
    /// Runs the earliest timer of <paramref name="messageType"/> that names <paramref name="subject"/> and has
    /// not run yet, now, through the running node's poller, and waits until it was handled; a timer that
    /// failed into the dead letters fails the test. When every such timer has run already (a slow machine
    /// let their time come), there is nothing left to run.
    /// </summary>
    public static async Task RunNextAsync(string connectionString, string messageType, Guid subject)
    {
        var timers = await Eventually.GetAsync(async () => await TimersAsync(connectionString, messageType, subject) is { Count: > 0 } found ? found : null,
            Patience, $"a {messageType} timer for {subject}");
        var next = timers.FindIndex(timer => timer.Status is Scheduled or Incoming);
        if (next < 0) return;

        var (envelopeId, _, status) = timers[next];
        if (status == Scheduled) await MakeDueAsync(connectionString, envelopeId);
        await Eventually.HappensAsync(
            async () => await ScalarAsync(connectionString, $"select count(*) from {Inbox} where id = $1 and status in ('{Scheduled}', '{Incoming}')", envelopeId) == 0,
            Patience, $"the {messageType} timer for {subject} to be handled");
        if (await ScalarAsync(connectionString, $"select count(*) from {DeadLetters} where id = $1", envelopeId) > 0)
            throw new InvalidOperationException($"The {messageType} timer for {subject} failed into Wolverine's dead letters.");
    }

    static async Task MakeDueAsync(string connectionString, Guid envelopeId)
    {
        await using var connection = await OpenAsync(connectionString);
        // A timer the poller took meanwhile is already running; then this changes nothing.
        await using var command = new NpgsqlCommand($"update {Inbox} set execution_time = now() where id = $1 and status = '{Scheduled}'", connection)
        {
            Parameters = { new NpgsqlParameter { Value = envelopeId } },
        };
        await command.ExecuteNonQueryAsync();
    }

    static async Task<List<(Guid EnvelopeId, DateTimeOffset? DueAt)>> PendingAsync(string connectionString, string messageType, Guid subject) =>
        [.. (await TimersAsync(connectionString, messageType, subject)).Where(timer => timer.Status == Scheduled).Select(timer => (timer.EnvelopeId, timer.DueAt))];

    /// <summary>The timers in the inbox, whatever their state, those running or due first.</summary>
    static async Task<List<(Guid EnvelopeId, DateTimeOffset? DueAt, string Status)>> TimersAsync(string connectionString, string messageType, Guid subject)
    {
        await using var connection = await OpenAsync(connectionString);
        // The message's JSON is inside the stored envelope, so its id is found among the body's bytes.
        await using var command = new NpgsqlCommand(
            $"""
            select id, execution_time, status from {Inbox}
            where message_type like ('%' || $1) and position(convert_to($2, 'UTF8') in body) > 0
            order by execution_time nulls first
            """, connection)
        {
            Parameters = { new NpgsqlParameter { Value = messageType }, new NpgsqlParameter { Value = subject.ToString() } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var timers = new List<(Guid, DateTimeOffset?, string)>();
        while (await reader.ReadAsync())
            timers.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        return timers;
    }

    static async Task<long> ScalarAsync(string connectionString, string sql, Guid envelopeId)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = envelopeId } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
