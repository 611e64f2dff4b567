using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.PostgresNotifications;
using AwaitHuman.Core.Tenancy;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.Authentication;

/// <summary>
/// API keys and personal access tokens (by hash), tenants (by id) and memberships (by tenant and
/// person) as authentication last read them, so a call does not cost two or three queries before its
/// own work. Every transaction that changes a credential, a tenant or a membership sends a
/// NOTIFY on commit (<see cref="CredentialChangeNotifier"/>); each node LISTENs
/// (<see cref="CredentialChanges"/>) and forgets everything it holds, and the committing node forgets
/// before it answers. While a node is not listening it trusts nothing and reads PostgreSQL every time.
/// </summary>
public sealed class CredentialCache(TimeProvider clock)
{
    public const string Channel = "awaithuman_credentials";

    /// <summary>A bound for changes made behind the application's back (SQL by hand), which send no NOTIFY.</summary>
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    readonly NotifiedCache<(Type, string), object> _entries = new(clock, Lifetime);

    /// <summary>The key with this hash, in any tenant; unknown keys are not kept.</summary>
    public Task<ApiKey?> ApiKeyByHashAsync(IDocumentStore store, string hash, CancellationToken ct) =>
        GetAsync(hash, async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<ApiKey>().Where(k => k.AnyTenant() && k.Hash == hash).FirstOrDefaultAsync(ct);
        });

    /// <summary>The personal access token with this hash, in any tenant; unknown tokens are not kept.</summary>
    public Task<PersonalAccessToken?> PersonalAccessTokenByHashAsync(IDocumentStore store, string hash, CancellationToken ct) =>
        GetAsync(hash, async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<PersonalAccessToken>().Where(t => t.AnyTenant() && t.Hash == hash).FirstOrDefaultAsync(ct);
        });

    /// <summary>The person's membership of the tenant, if they are a member.</summary>
    public Task<Membership?> MembershipAsync(IDocumentStore store, string tenantId, Guid personId, CancellationToken ct) =>
        GetAsync($"{tenantId}:{personId}", async () =>
        {
            await using var session = store.QuerySession(tenantId);
            return await session.Query<Membership>().FirstOrDefaultAsync(m => m.PersonId == personId, ct);
        });

    /// <summary>
    /// The name the person shows customers (Identity's person, in the accounts schema), null when they
    /// chose none. A profile change sends the same NOTIFY as a credential change.
    /// </summary>
    public Task<string?> DisplayNameAsync(IDocumentStore store, Guid personId, CancellationToken ct) =>
        GetAsync($"display-name:{personId}", async () =>
        {
            await using var session = store.QuerySession();
            var names = await session.AdvancedSql.QueryAsync<string>(
                "select \"DisplayName\" from accounts.people where \"Id\" = ?", ct, personId);
            return names.FirstOrDefault() is { Length: > 0 } name ? name : null;
        });

    public Task<Tenant?> TenantAsync(IDocumentStore store, Guid tenantId, CancellationToken ct) =>
        GetAsync(tenantId.ToString(), async () =>
        {
            await using var session = store.QuerySession();
            return await session.FindByIdAcrossTenantsAsync(tenantId, ct);
        });

    async Task<T?> GetAsync<T>(string key, Func<Task<T?>> read) where T : class =>
        (T?)await _entries.GetAsync((typeof(T), key), async () => await read());

    /// <summary>How many times this node has forgotten: it moves when a change's notification arrives.</summary>
    public long Generation => _entries.Generation;

    /// <summary>A key or tenant changed somewhere: everything read before is suspect.</summary>
    public void Forget() => _entries.ForgetAll();

    internal void Listening(bool listening) => _entries.Listening(listening);
}

/// <summary>Adds a NOTIFY to every transaction that changes a credential, a tenant or a membership; PostgreSQL delivers it on commit only.</summary>
public sealed class CredentialChangeNotifier(CredentialCache cache) : DocumentSessionListenerBase
{
    static readonly HashSet<Type> Aggregates = [typeof(ApiKey), typeof(PersonalAccessToken), typeof(Tenant), typeof(Membership)];
    static readonly HashSet<string> Namespaces = [.. Aggregates.Select(type => type.Namespace!)];

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
        (stream.AggregateType is { } type && Aggregates.Contains(type))
        || stream.Events.Any(e => Namespaces.Contains(e.EventType.Namespace!));
}

/// <summary>
/// Listens for <see cref="CredentialCache.Channel"/> and makes the cache forget; while not listening,
/// credentials are read from PostgreSQL on every request.
/// </summary>
public sealed class CredentialChanges(IDocumentStore store, CredentialCache cache, ILogger<CredentialChanges> logger)
    : PostgresListener(store, logger, CredentialCache.Channel)
{
    protected override void OnNotification(string payload) => cache.Forget();

    protected override void OnListening() => cache.Listening(true);

    protected override void OnStoppedListening() => cache.Listening(false);
}
