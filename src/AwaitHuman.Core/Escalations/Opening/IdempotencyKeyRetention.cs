using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AwaitHuman.Core.Escalations.Opening;

/// <summary>
/// Forgets idempotency keys a week after their first use: agents retry within minutes, the promise
/// is at least 24 hours, and the table must not grow forever. A platform operation over every tenant;
/// each node runs it hourly, and deleting twice is harmless.
/// </summary>
public sealed class IdempotencyKeyRetention(IDocumentStore store, TimeProvider clock, ILogger<IdempotencyKeyRetention> logger) : BackgroundService
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);
    static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await PurgeAllTenantsAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Purging old idempotency keys failed; trying again in {Every}", Every);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>How many keys were forgotten.</returns>
    public async Task<int> PurgeAllTenantsAsync(CancellationToken ct)
    {
        var table = store.Options.Schema.For<IdempotentResponse>(qualified: true);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var delete = new NpgsqlCommand($"delete from {table} where created_at < @cutoff", connection);
        delete.Parameters.AddWithValue("cutoff", clock.GetUtcNow() - KeptFor);
        return await delete.ExecuteNonQueryAsync(ct);
    }
}
