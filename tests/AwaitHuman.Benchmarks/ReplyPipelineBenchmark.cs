using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AwaitHuman.Server.Hosting.Database;
using AwaitHuman.Testing;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// The reply pipeline, from an operator's <c>POST /reply</c> to the provider receiving the message:
/// a fake Twilio Messages API on loopback records when each message arrives (our message id rides on
/// its StatusCallback URL). Run twice in one go, with sends through the durable local queue (the
/// product) and through an in-memory one, so the figure says what durability costs. Each run has a
/// server of its own on a database of its own, in the benches' cluster (<see cref="BenchCluster"/>).
/// </summary>
public static class ReplyPipelineBenchmark
{
    const int Escalations = 200;
    const int Workers = 16;

    sealed record Run(string Mode, SteadyState.WarmUp WarmUp, double RepliesPerSecond, double ClosedP50, double ClosedP99, int AtRateSent, int AtRateReceived, double AtRateP50, double AtRateP99);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var rate = args.Length > 0 ? int.Parse(args[0]) : 200;
        var seconds = args.Length > 1 ? int.Parse(args[1]) : 10;
        await using var twilio = await FakeTwilio.StartAsync(ct);
        using var postgres = BenchCluster.Start();

        List<Run> runs = [];
        foreach (var durable in new[] { true, false })
            runs.Add(await MeasureAsync(durable, postgres, twilio, rate, TimeSpan.FromSeconds(seconds), ct));

        Console.WriteLine();
        Console.WriteLine("| sending | replies/s (closed loop, 16 operators) | p50 ms | p99 ms | at rate: received | p50 ms | p99 ms |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in runs)
            Console.WriteLine($"| {r.Mode} | {r.RepliesPerSecond:N0} | {r.ClosedP50:N1} | {r.ClosedP99:N1} | {r.AtRateReceived} of {r.AtRateSent} at {rate}/s | {r.AtRateP50:N1} | {r.AtRateP99:N1} |");
        Console.WriteLine();
        foreach (var r in runs) Console.WriteLine($"{r.Mode}: {r.WarmUp}");
        var durableRun = runs[0];
        var ratio = durableRun.RepliesPerSecond / runs[1].RepliesPerSecond;
        Console.WriteLine($"\nDurable throughput is {ratio:P0} of in-memory (target at least 30%): {(ratio >= 0.3 ? "met" : "MISSED")}");
        Console.WriteLine($"Durable p99 at {rate} replies/s is {durableRun.AtRateP99:N1} ms (target under 100 ms): {(durableRun.AtRateP99 < 100 && durableRun.AtRateReceived == durableRun.AtRateSent ? "met" : "MISSED")}");
        return 0;
    }

    static async Task<Run> MeasureAsync(bool durable, EmbeddedPostgres postgres, FakeTwilio twilio, int rate, TimeSpan duration, CancellationToken ct)
    {
        var mode = durable ? "durable" : "in-memory";
        Console.Error.WriteLine($"Replies, {mode}: starting a server on a database of its own...");
        var connectionString = await BenchCluster.CreateDatabaseAsync(postgres, $"replies-{mode}");
        await using var app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["Channels:DurableSending"] = durable ? "true" : "false",
            ["Connectors:Twilio:ApiBaseUrl"] = twilio.BaseUrl,
            ["RateLimits:PerCredentialPerMinute"] = "1000000000",
            ["RateLimits:PerTenantPerMinute"] = "1000000000",
            ["Logging:LogLevel:Default"] = "Error",
        });
        var tenant = await app.NewTenantAsync();
        var admin = app.CreateHttpClient(tenant.ApiKey);
        var accountSid = "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        (await admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "twilio", name = "Bench SMS", channels = new[] { "sms" },
            settings = new Dictionary<string, string> { ["account_sid"] = accountSid, ["from"] = "+15005550006" },
            secrets = new Dictionary<string, string> { ["auth_token"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) },
        }, ct)).EnsureSuccessStatusCode();
        var human = app.CreateHttpClient((await app.NewMemberAsync(tenant, "operator")).Token);
        var agent = app.CreateHttpClient(tenant.ApiKey);
        // Warm-up on escalations of its own, so the measured conversations start as long as a fresh
        // one and the figures are for a server whose code the JIT has optimised, not for its first seconds.
        var warmUpIds = await OpenAsync(agent, Escalations, 0);
        var warmUp = await SteadyState.WarmUpAsync(slice => ClosedLoopAsync(human, warmUpIds, twilio, slice, ct));
        await BenchCluster.CheckpointAsync(connectionString, slice => ClosedLoopAsync(human, warmUpIds, twilio, slice, ct));
        var ids = await OpenAsync(agent, Escalations, Escalations);

        // A closed loop: the most replies the pipeline carries.
        var (perSecond, closed) = await ClosedLoopAsync(human, ids, twilio, duration, ct);
        // Then an open loop at the issue's rate, timed from each reply's due moment.
        var (sent, atRate) = await AtRateAsync(human, ids, twilio, rate, duration, ct);
        return new Run(mode, warmUp, perSecond, Percentile(closed, 0.5), Percentile(closed, 0.99), sent, atRate.Count, Percentile(atRate, 0.5), Percentile(atRate, 0.99));
    }

    /// <summary>Opens <paramref name="count"/> escalations whose customers prefer SMS, each with a number of its own.</summary>
    static async Task<List<string>> OpenAsync(HttpClient agent, int count, int firstNumber)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var request = EscalationScenarios.SampleRequest();
            request["customer"]!["preferred_channel"] = "sms";
            request["customer"]!["phone"] = $"+1415555{firstNumber + i:D4}";
            ids.Add((await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!);
        }
        return ids;
    }

    static async Task<(double PerSecond, List<double> Latencies)> ClosedLoopAsync(HttpClient human, List<string> ids, FakeTwilio twilio, TimeSpan duration, CancellationToken ct)
    {
        var started = ConcurrentDictionaryOf();
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var id = ids[(int)((uint)Interlocked.Increment(ref next) % ids.Count)];
                var at = Stopwatch.GetTimestamp();
                if (await ReplyAsync(human, id, ct) is { } messageId) started[messageId] = at;
            }
        }));
        var latencies = await CollectAsync(twilio, started, ct);
        return (latencies.Count / duration.TotalSeconds, latencies);
    }

    static async Task<(int Sent, List<double> Latencies)> AtRateAsync(HttpClient human, List<string> ids, FakeTwilio twilio, int rate, TimeSpan duration, CancellationToken ct)
    {
        var started = ConcurrentDictionaryOf();
        var clock = Stopwatch.StartNew();
        var origin = Stopwatch.GetTimestamp();
        var total = (int)(rate * duration.TotalSeconds);
        var sends = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var early = due - clock.Elapsed;
            if (early > TimeSpan.Zero) await Task.Delay(early, ct);
            var dueStamp = origin + (long)(due.TotalSeconds * Stopwatch.Frequency);
            var id = ids[i % ids.Count];
            sends.Add(Task.Run(async () =>
            {
                if (await ReplyAsync(human, id, ct) is { } messageId) started[messageId] = dueStamp;
            }, ct));
        }
        await Task.WhenAll(sends);
        return (total, await CollectAsync(twilio, started, ct));
    }

    static ConcurrentDictionary<Guid, long> ConcurrentDictionaryOf() => new();

    /// <summary>The reply's message id (the last transcript line's), or null when the reply was refused.</summary>
    static async Task<Guid?> ReplyAsync(HttpClient human, string id, CancellationToken ct)
    {
        using var response = await human.PostAsJsonAsync($"/v1/escalations/{id}/reply", new { content = "We are on it: your refund is being processed." }, ct);
        if (!response.IsSuccessStatusCode) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var transcript = body.RootElement.GetProperty("transcript");
        return transcript[transcript.GetArrayLength() - 1].GetProperty("id").GetGuid();
    }

    /// <summary>Waits (up to 30 s) for the fake to receive every reply that was accepted; latencies in ms.</summary>
    static async Task<List<double>> CollectAsync(FakeTwilio twilio, ConcurrentDictionary<Guid, long> started, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (started.Keys.Any(id => !twilio.Received.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100, ct);
        return started.Where(s => twilio.Received.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(s.Value, twilio.Received[s.Key]).TotalMilliseconds)
            .Order().ToList();
    }

    static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1))];

    /// <summary>Twilio's Messages resource on loopback, answering 201 at once and noting when each of our messages arrived.</summary>
    sealed class FakeTwilio : IAsyncDisposable
    {
        readonly WebApplication _app;

        FakeTwilio(WebApplication app) => _app = app;

        public ConcurrentDictionary<Guid, long> Received { get; } = new();

        public string BaseUrl => _app.Urls.Single();

        public static async Task<FakeTwilio> StartAsync(CancellationToken ct)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var fake = new FakeTwilio(app);
            app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", async (HttpRequest request, string accountSid) =>
            {
                var form = await request.ReadFormAsync();
                var at = Stopwatch.GetTimestamp();
                var callback = new Uri(form["StatusCallback"].ToString());
                var messageId = Guid.Parse(System.Web.HttpUtility.ParseQueryString(callback.Query)["message_id"]!);
                fake.Received.TryAdd(messageId, at);
                var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                return Results.Content($$"""{"sid":"{{sid}}","status":"queued","account_sid":"{{accountSid}}"}""", "application/json", statusCode: 201);
            });
            await app.StartAsync(ct);
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
