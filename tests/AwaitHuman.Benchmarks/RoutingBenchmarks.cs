using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Routing;
using AwaitHuman.Core.Teams;
using AwaitHuman.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Marten;
using Marten.Events;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// <c>./awaithuman bench rules</c>: 100 compiled rules against a realistic escalation, on one core
/// (BenchmarkDotNet, in process). The deciding rule is the 95th, so nearly every rule is tested.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmark
{
    static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T10:00:00Z");
    CompiledRuleSet _rules = null!;
    RoutingFacts _facts = null!;
    IReadOnlyDictionary<Guid, TeamCalendar> _teams = null!;

    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [GlobalSetup]
    public void Setup()
    {
        var team = Guid.NewGuid();
        _teams = new Dictionary<Guid, TeamCalendar>
        {
            [team] = new("Billing", BusinessCalendar.Of(new BusinessHours("Europe/Berlin",
                new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(d => new OpeningHours(d, "09:00", "17:00")).ToArray(), ["2026-12-25"]))),
        };
        var rules = new List<RoutingRule>();
        for (var i = 0; i < 100; i++)
        {
            RuleCondition[] when = (i % 5) switch
            {
                0 => [new("reason", "equals", Json($"\"reason_{i}\"")), new("priority", "in", Json("""["urgent","high"]"""))],
                1 => [new("metadata.tier", "equals", Json($"\"tier_{i}\"")), new("confidence", "between", Min: 0, Max: 0.5)],
                2 => [new("customer.email", "regex", Json($"\"@customer{i}\\\\.example\\\\.com$\""))],
                3 => [new("tags", "contains", Json($"\"tag_{i}\"")), new("business_hours", "inside", Team: team)],
                _ => [new("metadata.order_total", "gt", Json($"{10_000 + i}")), new("language", "equals", Json("\"de\""))],
            };
            if (i == 94) when = [new("reason", "equals", Json("\"refund_dispute\"")), new("metadata.tier", "equals", Json("\"gold\"")), new("confidence", "lt", Json("0.5"))];
            rules.Add(new RoutingRule($"rule {i + 1}", when, new RuleActions(RouteToTeam: team, SetPriority: "high")));
        }
        _rules = new CompiledRuleSet(rules, new RuleActions(RouteToTeam: team), 7);
        _facts = new RoutingFacts
        {
            Kind = "handoff", Priority = "high", Reason = "refund_dispute", Confidence = 0.42, Channel = "email", ExternalRef = "conv_8f3a2c",
            Customer = new Customer("Ada Lovelace", "ada@example.com", "+14155550123", null, "email", "en-GB"),
            Metadata = Json("""{"tier":"gold","order_total":149.5,"tags":["vip","billing","repeat"],"account":{"plan":"enterprise","since":"2019-03-01"},"cart":{"items":3,"currency":"EUR"}}"""),
        };
        if (_rules.Evaluate(_facts, _teams, Now).Position != 95) throw new InvalidOperationException("The benchmark's rules must decide at rule 95.");
    }

    [Benchmark]
    public RoutingMatch Evaluate100Rules() => _rules.Evaluate(_facts, _teams, Now);

    public static int Run(string[] args)
    {
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<RuleEvaluationBenchmark>(config, args);
        var report = summary.Reports.Single();
        if (report.ResultStatistics is null) return 1;
        var perSecond = 1e9 / report.ResultStatistics!.Mean;
        Console.WriteLine($"\nRule evaluation, 100 rules, one core: {perSecond:N0} evaluations/s (mean {report.ResultStatistics.Mean:N0} ns), target 100,000/s: {(perSecond >= 100_000 ? "met" : "MISSED")}");
        return 0;
    }
}

/// <summary>
/// <c>./awaithuman bench assignment</c>: an open-loop load of 200 escalations per second against a
/// server on its own database, with a team of at least 75 online operators, measured once the JIT has
/// settled (<see cref="SteadyState"/>). The decision's latency runs from the escalation's opening to the
/// commit of its assignment (both by the server's clock), so it includes the outbox, the routing queue,
/// the rules, the facts, the advisory lock and the commit. Also printed: the routing handler's own time
/// (Wolverine's histogram), and the time until the handler's clock read, which is what
/// the assignment records as its time and what this bench reported as the decision until it measured the commit.
/// </summary>
public static class AssignmentLatencyBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var rate = args.Length > 0 ? int.Parse(args[0]) : 200;
        var seconds = args.Length > 1 ? int.Parse(args[1]) : 15;
        using var postgres = BenchCluster.Start();
        var connectionString = await BenchCluster.CreateDatabaseAsync(postgres, "assignment");
        var commits = new AssignmentCommits();
        await using var app = await AwaitHumanApp.StartAsync(connectionString, services => services.ConfigureMarten(opts => opts.Listeners.Add(commits)), new Dictionary<string, string>
        {
            ["RateLimits:PerCredentialPerMinute"] = "1000000000",
            ["RateLimits:PerTenantPerMinute"] = "1000000000",
            ["Logging:LogLevel:Default"] = "Error",
        });
        // The warm-up runs in a tenant of its own and cancels what each slice opened, so its operators
        // never fill up and it assigns as the measured load does for as long as the JIT needs; the
        // measured tenant starts with empty seats.
        var warmUpTeam = await NewTeamAsync(app, Math.Max(20, (int)Math.Ceiling(rate * 5 * 1.25 / MaxCapacity)), ct);
        var body = JsonSerializer.Serialize(EscalationScenarios.SampleRequest());
        Console.Error.WriteLine($"Warming up at {rate}/s until the JIT settles...");
        async Task WarmUpSliceAsync(TimeSpan slice)
        {
            var (opened, _, _) = await OpenAtRateAsync(warmUpTeam.Agent, body, rate, (int)slice.TotalSeconds, ct);
            await DecisionLatenciesAsync(app, warmUpTeam.Tenant, opened, commits, ct);
            await Parallel.ForEachAsync(opened, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
                (await warmUpTeam.Agent.PostAsJsonAsync($"/v1/escalations/{id}/cancel", new { reason = "warm-up" }, token)).EnsureSuccessStatusCode());
        }
        var warmUp = await SteadyState.WarmUpAsync(WarmUpSliceAsync);
        await BenchCluster.CheckpointAsync(connectionString, WarmUpSliceAsync);
        // The warm-up's cancels leave the event subscriptions (webhooks, analytics) a backlog that
        // steady opening alone would not: measure once they have caught up.
        await app.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));

        // Enough room for every measured escalation, so each decision really assigns someone (a team
        // whose members are all full only queues, which is cheaper); never fewer than earlier runs had.
        var (tenant, agent, seats) = await NewTeamAsync(app, Math.Max(MeasuredSeats, (int)Math.Ceiling(rate * seconds * 1.25 / MaxCapacity)), ct);
        using var handling = new HandlerTimes(nameof(RouteEscalation));
        Console.Error.WriteLine($"Opening {rate}/s for {seconds} s...");
        var (pausedBefore, collectionsBefore, fullBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1));
        var (measured, failed, requests) = await OpenAtRateAsync(agent, body, rate, seconds, ct);
        var (paused, collections, older) = (GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(0) - collectionsBefore, GC.CollectionCount(1) - fullBefore);
        var (latencies, committed, assigned) = await DecisionLatenciesAsync(app, tenant, measured, commits, ct);
        var opened = measured.Count + failed;
        double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        var deferred = handling.Sorted();
        Console.WriteLine($"Assignment at {rate}/s for {seconds} s, after {warmUp}; {seats} operators online: {latencies.Count} of {opened} decided ({assigned} assigned), {failed} opens failed.");
        Console.WriteLine($"  open to assignment committed (from the opening's clock to the commit that shows the owner; {committed.Count} of {measured.Count}): p50 {P(committed, 0.5):N1} ms, p95 {P(committed, 0.95):N1} ms, p99 {P(committed, 0.99):N1} ms, max {P(committed, 1):N1} ms");
        Console.WriteLine($"  the opening request, its routing included (the client's clock, HTTP included): p50 {P(requests, 0.5):N1} ms, p95 {P(requests, 0.95):N1} ms, p99 {P(requests, 0.99):N1} ms, max {P(requests, 1):N1} ms");
        Console.WriteLine($"  routed after the opening's commit, every candidate with room being decided for at the time: {deferred.Count} (that handler p50 {P(deferred, 0.5):N1} ms, p99 {P(deferred, 0.99):N1} ms)");
        Console.WriteLine($"  garbage collections in the process (server and client) while opening: {collections} ({older} of them beyond gen0), paused {paused.TotalMilliseconds:N0} ms in all");
        Console.WriteLine($"  target p99 < 10 ms: {(P(committed, 0.99) < 10 ? "met" : "MISSED")}");
        return 0;
    }

    const int MaxCapacity = 100;
    const int MeasuredSeats = 75;

    /// <summary>
    /// A tenant with one team of <paramref name="seats"/> online operators of capacity 100, least loaded
    /// first, and 100 routing rules of which the last sends the benchmark's escalations to that team.
    /// </summary>
    static async Task<(TestTenantAccount Tenant, HttpClient Agent, int Seats)> NewTeamAsync(AwaitHumanApp app, int seats, CancellationToken ct)
    {
        var tenant = await app.NewTenantAsync();
        var admin = app.CreateHttpClient((await app.NewMemberAsync(tenant, "admin")).Token);
        var operators = new List<TestMember>();
        for (var i = 0; i < seats; i++) operators.Add(await app.NewMemberAsync(tenant, "operator"));
        var team = await (await admin.PostAsJsonAsync("/v1/teams", new
        {
            name = "Billing", strategy = "least_loaded",
            members = operators.Select(o => new { person_id = o.PersonId, capacity = MaxCapacity }),
        }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var teamId = team.GetProperty("id").GetString();
        (await admin.PutAsJsonAsync("/v1/routing-rules", new
        {
            rules = Enumerable.Range(0, 99).Select(i => (object)new { when = new object[] { new { field = "reason", op = "equals", value = $"reason_{i}" } }, then = new { route_to_team = teamId } })
                .Append(new { when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } }, then = new { route_to_team = teamId } }),
        }, ct)).EnsureSuccessStatusCode();
        foreach (var o in operators) (await app.CreateHttpClient(o.Token).PutAsJsonAsync("/v1/operators/me/presence", new { status = "online" }, ct)).EnsureSuccessStatusCode();
        return (tenant, app.CreateHttpClient(tenant.ApiKey), seats);
    }

    /// <summary>
    /// Opens <paramref name="rate"/> escalations a second, each on its due moment: the ids opened, how
    /// many failed, and each request's time until its response arrived, sorted. Each response is read
    /// and let go as it arrives, so the server shares its process with as little client garbage as an
    /// agent elsewhere would leave it.
    /// </summary>
    static async Task<(List<Guid> Opened, int Failed, List<double> RequestTimes)> OpenAtRateAsync(HttpClient agent, string body, int rate, int seconds, CancellationToken ct)
    {
        async Task<(Guid? Id, double Milliseconds)> OpenAsync()
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await agent.PostAsync("/v1/escalations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return (response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid() : null, milliseconds);
        }

        var clock = Stopwatch.StartNew();
        var sends = new List<Task<(Guid? Id, double Milliseconds)>>();
        for (var i = 0; i < rate * seconds; i++)
        {
            var early = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (early > TimeSpan.Zero) await Task.Delay(early, ct);
            sends.Add(OpenAsync());
        }
        var sent = await Task.WhenAll(sends);
        return ([.. sent.Select(s => s.Id).OfType<Guid>()], sent.Count(s => s.Id is null), [.. sent.Select(s => s.Milliseconds).Order()]);
    }

    /// <summary>
    /// From each escalation's opening to its first routing decision as the handler's clock recorded it,
    /// and to its assignment's commit (<paramref name="commits"/>; escalations not assigned are left out),
    /// each sorted, once all of <paramref name="ids"/> are decided; a machine that cannot keep up within
    /// two minutes reports what it decided. Also how many of those decisions gave the escalation to someone.
    /// </summary>
    static async Task<(List<double> Latencies, List<double> Committed, int Assigned)> DecisionLatenciesAsync(
        AwaitHumanApp app, TestTenantAccount tenant, List<Guid> ids, AssignmentCommits commits, CancellationToken ct)
    {
        await using var session = app.Store.QuerySession(tenant.TenantId);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var escalations = await session.LoadManyAsync<Escalation>(ct, ids);
            List<double> Since(Func<Escalation, DateTimeOffset?> at) =>
                [.. escalations.Select(e => at(e) is { } then ? (then - e.CreatedAt).TotalMilliseconds : double.NaN).Where(ms => !double.IsNaN(ms)).Order()];
            var decisions = escalations.ToDictionary(e => e.Id, e => e.Routing.FirstOrDefault(n => n.What is "assigned" or "queued" or "offered"));
            var latencies = Since(e => decisions[e.Id]?.At);
            if (latencies.Count == ids.Count || waited.Elapsed > TimeSpan.FromSeconds(120))
                return (latencies, Since(e => commits.Of(e.Id)), decisions.Values.Count(d => d?.What == "assigned"));
            await Task.Delay(1000, ct);
        }
    }
}

/// <summary>
/// When each assignment committed, by the server's clock just after PostgreSQL confirmed the commit: a
/// Marten listener the bench adds to the in-process server, so the figure ends where anyone can see the owner.
/// </summary>
sealed class AssignmentCommits : DocumentSessionListenerBase
{
    readonly ConcurrentDictionary<Guid, DateTimeOffset> _at = new();

    public override Task AfterCommitAsync(IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var e in commit.GetEvents())
            if (e.Data is EscalationAssigned assigned) _at.TryAdd(assigned.EscalationId, now);
        return Task.CompletedTask;
    }

    public DateTimeOffset? Of(Guid escalationId) => _at.TryGetValue(escalationId, out var at) ? at : null;
}

/// <summary>
/// Wolverine's own execution-time histogram for one message type, from the in-process server: how long
/// the handler ran, its commit included, without the time the message waited in the queue.
/// </summary>
sealed class HandlerTimes : IDisposable
{
    const string Instrument = "wolverine-execution-time";
    readonly MeterListener _listener = new();
    readonly ConcurrentBag<double> _times = [];
    readonly string _messageType;

    public HandlerTimes(string messageType)
    {
        _messageType = messageType;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == Instrument) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        _listener.Start();
    }

    void Record(double milliseconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "message.type" && tag.Value?.ToString()?.Contains(_messageType, StringComparison.OrdinalIgnoreCase) == true)
            {
                _times.Add(milliseconds);
                return;
            }
    }

    public List<double> Sorted() => [.. _times.Order()];

    public void Dispose() => _listener.Dispose();
}
