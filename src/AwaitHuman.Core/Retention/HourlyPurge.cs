using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AwaitHuman.Core.Retention;

/// <summary>
/// Deletes documents of <typeparamref name="T"/> older than <see cref="KeptFor"/> every hour, in
/// every tenant at once: records kept only to recognise repeats (idempotency keys, provider
/// receipts) must not grow forever. Each node runs it; deleting twice is harmless.
/// </summary>
/// <param name="timestampColumn">A duplicated, indexed column of the document's time.</param>
public abstract class HourlyPurge<T>(IDocumentStore store, TimeProvider clock, ILogger logger, string timestampColumn) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected abstract TimeSpan KeptFor { get; }

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
                logger.LogWarning(e, "Purging old {Documents} failed; trying again in {Every}", typeof(T).Name, Every);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeAllTenantsAsync(CancellationToken ct)
    {
        var table = store.Options.Schema.For<T>(qualified: true);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var delete = new NpgsqlCommand($"delete from {table} where {timestampColumn} < @cutoff", connection);
        delete.Parameters.AddWithValue("cutoff", clock.GetUtcNow() - KeptFor);
        return await delete.ExecuteNonQueryAsync(ct);
    }
}
