using System.Collections.Concurrent;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Tenancy;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AwaitHuman.Core.Security;

/// <summary>
/// API keys (by hash) and tenants (by id) as authentication last read them, so an agent's call does
/// not cost two queries before its own work. Every transaction that changes a key or a tenant sends a
/// NOTIFY on commit (<see cref="CredentialChangeNotifier"/>); each node LISTENs
/// (<see cref="CredentialChanges"/>) and forgets everything it holds, and the committing node forgets
/// before it answers. While a node is not listening it trusts nothing and reads PostgreSQL every time.
/// </summary>
public sealed class CredentialCache(TimeProvider clock)
{
    public const string Channel = "awaithuman_credentials";

    /// <summary>A bound for changes made behind the application's back (SQL by hand), which send no NOTIFY.</summary>
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<(Type, string), (object Value, DateTimeOffset ReadAt)> _entries = new();
    long _generation;
    volatile bool _listening;

    /// <summary>The key with this hash, in any tenant; unknown keys are not kept.</summary>
    public Task<ApiKey?> ApiKeyByHashAsync(IDocumentStore store, string hash, CancellationToken ct) =>
        GetAsync(hash, async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<ApiKey>().Where(k => k.AnyTenant() && k.Hash == hash).FirstOrDefaultAsync(ct);
        });

    public Task<Tenant?> TenantAsync(IDocumentStore store, Guid tenantId, CancellationToken ct) =>
        GetAsync(tenantId.ToString(), async () =>
        {
            await using var session = store.QuerySession();
            return await session.FindByIdAcrossTenantsAsync(tenantId, ct);
        });

    async Task<T?> GetAsync<T>(string key, Func<Task<T?>> read) where T : class
    {
        var now = clock.GetUtcNow();
        if (_listening && _entries.TryGetValue((typeof(T), key), out var entry) && now - entry.ReadAt < Lifetime) return (T)entry.Value;

        // A change committed while we read bumps the generation: what we read may predate it, so it is not kept.
        var generation = Interlocked.Read(ref _generation);
        var value = await read();
        if (value is not null && _listening && Interlocked.Read(ref _generation) == generation)
            _entries[(typeof(T), key)] = (value, now);
        return value;
    }

    /// <summary>A key or tenant changed somewhere: everything read before is suspect.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    internal void Listening(bool listening)
    {
        _listening = listening;
        Forget();
    }
}

/// <summary>Adds a NOTIFY to every transaction that changes an API key or a tenant; PostgreSQL delivers it on commit only.</summary>
public sealed class CredentialChangeNotifier(CredentialCache cache) : DocumentSessionListenerBase
{
    static readonly HashSet<string> Namespaces = [typeof(ApiKey).Namespace!, typeof(Tenant).Namespace!];

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (session.PendingChanges.Streams().Any(ChangesCredentials))
            session.QueueSqlCommand($"select pg_notify('{CredentialCache.Channel}', '')");
        return Task.CompletedTask;
    }

    /// <summary>This node forgets before the change is answered, without waiting for its own notification.</summary>
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetStreams().Any(ChangesCredentials)) cache.Forget();
        return Task.CompletedTask;
    }

    static bool ChangesCredentials(JasperFx.Events.StreamAction stream) =>
        stream.AggregateType == typeof(ApiKey) || stream.AggregateType == typeof(Tenant)
        || stream.Events.Any(e => Namespaces.Contains(e.EventType.Namespace!));
}

/// <summary>Listens for <see cref="CredentialCache.Channel"/> on one connection and makes the cache forget.</summary>
public sealed class CredentialChanges(IDocumentStore store, CredentialCache cache, ILogger<CredentialChanges> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = store.Storage.Database.CreateConnection();
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => cache.Forget();
                await using (var listen = new NpgsqlCommand($"LISTEN {CredentialCache.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);

                // Changes committed while we were not listening are unknown: start empty.
                cache.Listening(true);
                delay = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for credential changes failed; reading credentials from PostgreSQL on every request, retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
            finally
            {
                // From the moment the connection is lost, notifications may be missed.
                cache.Listening(false);
            }
        }
    }
}
