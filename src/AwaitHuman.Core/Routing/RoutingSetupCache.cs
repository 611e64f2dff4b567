using System.Collections.Concurrent;
using AwaitHuman.Core.PostgresNotifications;
using AwaitHuman.Core.Teams;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.Routing;

/// <summary>What routing needs of a tenant besides the escalation: its published rules (none yet: null) and its teams.</summary>
/// <remarks>Shared by concurrent decisions: read it, never change it.</remarks>
public sealed record RoutingSetup(CompiledRuleSet? Rules, IReadOnlyList<Team> Teams);

/// <summary>
/// Each tenant's routing setup as the last decision read it, so opening an escalation does not read
/// the rules' version and every team first; and rule sets compiled once per version. Every
/// transaction that publishes rules or changes a team sends a NOTIFY with its tenant on commit
/// (<see cref="RoutingSetupNotifier"/>); each node LISTENs (<see cref="RoutingSetupChanges"/>) and
/// forgets that tenant's setup, and the committing node forgets before it answers. While a node is not
/// listening it reads the setup on every decision, as it did before this cache.
/// </summary>
public sealed class RoutingSetupCache(TimeProvider clock)
{
    public const string Channel = "awaithuman_routing";

    /// <summary>A bound for changes made behind the application's back (SQL by hand), which send no NOTIFY.</summary>
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<string, CompiledRuleSet> _rulesByTenant = new();
    readonly NotifiedCache<string, RoutingSetup> _setups = new(clock, Lifetime);

    /// <summary>The tenant's setup: from this node's memory while it is fresh, else one round trip (and one more when the rules' version is new here).</summary>
    public async Task<RoutingSetup> SetupAsync(IQuerySession session, CancellationToken ct) =>
        (await _setups.GetAsync(session.TenantId, async () =>
        {
            var batch = session.CreateBatchQuery();
            var rulesOf = batch.Events.FetchStreamState(RoutingRuleSet.IdFor(session.TenantId));
            var teamsOf = batch.Query<Team>().ToList();
            await batch.Execute(ct);
            return new RoutingSetup(await rulesOf is { } published ? await RulesAsync(session, published.Version, ct) : null, await teamsOf);
        }))!;

    /// <summary>
    /// The tenant's rules at <paramref name="version"/>, read from the database only when this node has
    /// not compiled that version yet. The rule stream holds one event per published version, so its
    /// stream version is the rules' version: the setup learns it from the stream's state, a small row,
    /// instead of reading the whole set whenever it is read again.
    /// </summary>
    async Task<CompiledRuleSet> RulesAsync(IQuerySession session, long version, CancellationToken ct)
    {
        if (_rulesByTenant.TryGetValue(session.TenantId, out var compiled) && compiled.Version == version) return compiled;
        return Rules(session.TenantId, await session.LoadAsync<RoutingRuleSet>(RoutingRuleSet.IdFor(session.TenantId), ct));
    }

    public CompiledRuleSet Rules(string tenantId, RoutingRuleSet? set)
    {
        if (set is null) return CompiledRuleSet.Empty;
        if (_rulesByTenant.TryGetValue(tenantId, out var compiled) && compiled.Version == set.Version) return compiled;
        compiled = new CompiledRuleSet(set.Rules, set.Default, set.Version);
        _rulesByTenant[tenantId] = compiled;
        return compiled;
    }

    /// <summary>How many times this node has forgotten: it moves when a change's notification arrives.</summary>
    public long Generation => _setups.Generation;

    /// <summary>The tenant's rules or teams changed: its setup is read again.</summary>
    public void Forget(string tenantId) => _setups.Forget(tenantId);

    internal void Listening(bool listening) => _setups.Listening(listening);
}

/// <summary>Adds a NOTIFY naming the tenant to every transaction that publishes rules or changes a team; PostgreSQL delivers it on commit only.</summary>
public sealed class RoutingSetupNotifier(RoutingSetupCache cache) : DocumentSessionListenerBase
{
    static readonly HashSet<Type> Changes = [typeof(RoutingRulesPublished), typeof(TeamDefined), typeof(TeamMemberSet), typeof(TeamMemberRemoved), typeof(TeamDeleted)];

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (session.PendingChanges.Streams().Any(ChangesSetup))
            session.QueueSqlCommand("select pg_notify(?, ?)", RoutingSetupCache.Channel, session.TenantId);
        return Task.CompletedTask;
    }

    /// <summary>This node forgets before the change is answered, without waiting for its own notification.</summary>
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetStreams().Any(ChangesSetup)) cache.Forget(session.TenantId);
        return Task.CompletedTask;
    }

    static bool ChangesSetup(JasperFx.Events.StreamAction stream) => stream.Events.Any(e => Changes.Contains(e.EventType));
}

/// <summary>Listens for <see cref="RoutingSetupCache.Channel"/> and makes the cache forget the tenant named.</summary>
public sealed class RoutingSetupChanges(IDocumentStore store, RoutingSetupCache cache, ILogger<RoutingSetupChanges> logger)
    : PostgresListener(store, logger, RoutingSetupCache.Channel)
{
    protected override void OnNotification(string payload) => cache.Forget(payload);

    protected override void OnListening() => cache.Listening(true);

    protected override void OnStoppedListening() => cache.Listening(false);
}
