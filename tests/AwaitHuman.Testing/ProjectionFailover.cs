using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AwaitHuman.Core.Webhooks;
using AwaitHuman.Server.Hosting;

namespace AwaitHuman.Testing;

/// <param name="Killed">The node that ran the measured subscription and was killed.</param>
/// <param name="TakenOver">From the kill until the survivor reported running the subscription.</param>
/// <param name="Recovery">From the kill until the survivor's subscription had read an escalation opened after it.</param>
public sealed record ProjectionFailoverRun(ProjectionDistribution Distribution, string Killed, TimeSpan TakenOver, TimeSpan Recovery);

/// <summary>
/// How long a node's async work stops when that node is killed outright (SIGKILL): two test nodes
/// (<c>tests/AwaitHuman.TestNode</c>: the real server) on one database, distributing projections
/// the given way. The one running the webhook feed, the subscription every escalation event goes
/// through, is killed; an escalation is opened on the other at once, through the Agent API, and the
/// clock stops when the feed's progress has passed that escalation's events.
/// </summary>
public static class ProjectionFailover
{
    /// <summary>The measured subscription's shard, as the daemon and its progress table name it.</summary>
    public const string MeasuredShard = WebhookEventFeed.Name + ":All";

    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(120);

    /// <param name="connectionString">An empty database of the run's own.</param>
    public static async Task<ProjectionFailoverRun> MeasureAsync(
        string connectionString, ProjectionDistribution distribution, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var settings = new Dictionary<string, string> { [ProjectionDistributionSetting.Key] = distribution.ToString() };

        // The tenant and its key through the usual onboarding code; that node stops before the two start.
        string apiKey;
        await using (var setup = await AwaitHumanApp.StartAsync(connectionString, settings: settings))
            apiKey = (await setup.NewTenantAsync()).ApiKey;

        Dictionary<string, ServerProcess> nodes = [];
        try
        {
            foreach (var name in new[] { "node-a", "node-b" })
            {
                progress?.Invoke($"Starting {name} ({distribution})...");
                nodes[name] = await ServerProcess.StartAsync(RepositoryLayout.TestNodeAssembly,
                    ["--environment", "Development", "--TestNode:Name", name],
                    new Dictionary<string, string>
                    {
                        ["ConnectionStrings__Postgres"] = connectionString,
                        [ProjectionDistributionSetting.Key.Replace(":", "__", StringComparison.Ordinal)] = distribution.ToString(),
                        ["Logging__LogLevel__Default"] = "Warning",
                        // The shards are polled every 100 ms, anonymously, for as long as the takeover takes.
                        ["RateLimits__AnonymousPerAddressPerMinute"] = "1000000000",
                    },
                    cancellationToken);
            }

            var runner = await Eventually.GetAsync(async () =>
            {
                var runners = new List<string>();
                foreach (var (name, node) in nodes)
                    if ((await RunningShardsAsync(node, cancellationToken)).Contains(MeasuredShard)) runners.Add(name);
                return runners.Count == 1 ? runners[0] : null;
            }, StartLimit, $"exactly one node running {MeasuredShard}");
            var survivor = nodes.Keys.Single(name => name != runner);
            using var agent = AgentClient(nodes[survivor], apiKey);

            // Once before the kill: the feed is running and the survivor's opening path is warm, so the
            // figure holds the takeover and nothing else.
            var before = await OpenEscalationAsync(agent, connectionString, cancellationToken);
            await WaitForFeedAsync(connectionString, before, StartLimit);

            progress?.Invoke($"Killing {runner}, which runs {MeasuredShard}...");
            var clock = Stopwatch.StartNew();
            await nodes[runner].KillAsync();
            var after = await OpenEscalationAsync(agent, connectionString, cancellationToken);
            TimeSpan? takenOver = null;
            await Eventually.HappensAsync(async () =>
            {
                takenOver ??= (await RunningShardsAsync(nodes[survivor], cancellationToken)).Contains(MeasuredShard) ? clock.Elapsed : null;
                return takenOver is not null && await FeedProgressAsync(connectionString) >= after;
            }, RecoveryLimit, $"{survivor} to run {MeasuredShard} and read past event {after}");
            return new ProjectionFailoverRun(distribution, runner, takenOver!.Value, clock.Elapsed);
        }
        finally
        {
            foreach (var node in nodes.Values) await node.DisposeAsync();
        }
    }

    /// <summary>
    /// The shards a test node reports running (its <c>/test-node/shards</c>); none while it cannot tell,
    /// as under Wolverine's distribution before the node has set up its store's agents.
    /// </summary>
    public static async Task<IReadOnlyCollection<string>> RunningShardsAsync(ServerProcess node, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        using var response = await client.GetAsync("/test-node/shards", cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<string[]>(cancellationToken) ?? [] : [];
    }

    static HttpClient AgentClient(ServerProcess node, string apiKey)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Opens an escalation and returns the sequence number of its last event.</summary>
    static async Task<long> OpenEscalationAsync(HttpClient agent, string connectionString, CancellationToken cancellationToken)
    {
        using var response = await agent.PostAsJsonAsync("/v1/escalations", EscalationScenarios.SampleRequest(), cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Opening an escalation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var id = (await response.Content.ReadFromJsonAsync<OpenedEscalation>(cancellationToken))!.Id;
        return await Sql.ScalarAsync<long>(connectionString,
            $"select max(seq_id) from {CritterStack.DocumentSchema}.mt_events where stream_id = '{id}'");
    }

    static async Task WaitForFeedAsync(string connectionString, long sequence, TimeSpan limit)
    {
        try
        {
            await Eventually.HappensAsync(async () => await FeedProgressAsync(connectionString) >= sequence, limit,
                $"{MeasuredShard} to read past event {sequence}");
        }
        catch (TimeoutException timeout)
        {
            var rows = await Sql.QueryAsync(connectionString, $"select name, last_seq_id from {CritterStack.DocumentSchema}.mt_event_progression",
                reader => $"{reader.GetString(0)}={reader.GetInt64(1)}");
            throw new TimeoutException($"{timeout.Message} Progress: {string.Join(", ", rows)}.", timeout);
        }
    }

    static async Task<long> FeedProgressAsync(string connectionString)
    {
        var rows = await Sql.QueryAsync(connectionString,
            $"select last_seq_id from {CritterStack.DocumentSchema}.mt_event_progression where name = '{MeasuredShard}'", reader => reader.GetInt64(0));
        return rows.Count == 0 ? 0 : rows[0];
    }

    sealed record OpenedEscalation(Guid Id);
}
