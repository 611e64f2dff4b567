using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace AwaitHuman.Benchmarks;

public sealed record ScenarioResult(
    Scenario Scenario,
    long Requests,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorKinds,
    double MeasuredSeconds,
    double RequestsPerSecond,
    LatencyMilliseconds Latency,
    double? TargetRequestsPerSecond = null);

public sealed record LatencyMilliseconds(double P50, double P90, double P99, double P999, double Max);

/// <summary>
/// A closed loop: each worker sends its next request as soon as the previous answer arrives, so
/// throughput is what the target sustains at that concurrency and latency is what each caller waits.
/// An open loop (<see cref="RunAtRateAsync"/>): requests leave on a fixed schedule whatever the answers do.
/// </summary>
public static class LoadDriver
{
    // A request slower than this is recorded as this; the driver's timeout is shorter anyway.
    const long HighestLatencyMicroseconds = 60_000_000;

    public static HttpClient CreateHttpClient(int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<ScenarioResult> RunAsync(HttpClient client, Scenario scenario, BenchTarget target, BenchOptions options, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine(
            $"{scenario.Name}: {options.Concurrency} workers, {options.Warmup.TotalSeconds:0.#} s warm-up, {options.Duration.TotalSeconds:0.#} s measured...");

        await PrimeAsync(client, scenario, target, cancellationToken);
        var measureFrom = Stopwatch.GetTimestamp() + TimestampTicks(options.Warmup);
        var measureUntil = measureFrom + TimestampTicks(options.Duration);
        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(_ => Task.Run(() => WorkAsync(client, scenario, target, measureFrom, measureUntil, cancellationToken), cancellationToken))
            .ToArray();
        var tallies = await Task.WhenAll(workers);
        // Until the last answer, not the nominal end: requests started in the window finish after it.
        var measuredSeconds = Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;

        var latencies = new LongHistogram(HighestLatencyMicroseconds, 3);
        var errorKinds = new Dictionary<string, long>();
        foreach (var tally in tallies)
        {
            latencies.Add(tally.Latencies);
            foreach (var (kind, count) in tally.ErrorKinds) errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + count;
        }

        return Result(scenario, latencies, errorKinds, measuredSeconds);
    }

    /// <summary>
    /// An open loop at <paramref name="requestsPerSecond"/>, as from many agents that do not wait for
    /// each other. Each request's latency runs from the time it was due, not from when it actually
    /// left: a stall of the target (or of this driver) delays every request due during it, and all
    /// of that delay is counted. A closed loop would instead send fewer requests while stalled and
    /// hide the stall from its percentiles (coordinated omission). Requests beyond the client's
    /// connections wait for one, and that wait counts too.
    /// </summary>
    public static async Task<ScenarioResult> RunAtRateAsync(
        HttpClient client, Scenario scenario, BenchTarget target, double requestsPerSecond, BenchOptions options, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine(
            $"{scenario.Name}: {requestsPerSecond:0} req/s on a fixed schedule, {options.Warmup.TotalSeconds:0.#} s warm-up, {options.Duration.TotalSeconds:0.#} s measured...");

        if (!(requestsPerSecond > 0)) throw new BenchFailure($"{scenario.Name}: no rate to run at ({requestsPerSecond} req/s).");
        await PrimeAsync(client, scenario, target, cancellationToken);
        var latencies = new LongConcurrentHistogram(1, HighestLatencyMicroseconds, 3);
        var errorKinds = new ConcurrentDictionary<string, long>();
        var interval = Stopwatch.Frequency / requestsPerSecond;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + TimestampTicks(options.Warmup);
        var measureUntil = measureFrom + TimestampTicks(options.Duration);
        List<Task> inFlight = [];

        for (long sent = 0; ;)
        {
            var dueAt = start + (long)(sent * interval);
            if (dueAt >= measureUntil) break;
            var now = Stopwatch.GetTimestamp();
            if (dueAt > now)
            {
                // Timers wake a little late, never early; the lateness counts against the target.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling((dueAt - now) * 1000.0 / Stopwatch.Frequency)), cancellationToken);
                continue;
            }

            inFlight.Add(SendDueAsync(dueAt, recorded: dueAt >= measureFrom));
            sent++;
        }

        await Task.WhenAll(inFlight);
        var measuredSeconds = Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;
        return Result(scenario, latencies, errorKinds, measuredSeconds) with { TargetRequestsPerSecond = requestsPerSecond };

        async Task SendDueAsync(long dueAt, bool recorded)
        {
            var error = await SendAsync(client, scenario, target, cancellationToken);
            if (!recorded) return;
            var microseconds = (long)Stopwatch.GetElapsedTime(dueAt).TotalMicroseconds;
            latencies.RecordValue(Math.Clamp(microseconds, 1, HighestLatencyMicroseconds));
            if (error is not null) errorKinds.AddOrUpdate(error, 1, (_, count) => count + 1);
        }
    }

    /// <summary>One request before the clock starts: the first call of an endpoint may compile its code.</summary>
    static async Task PrimeAsync(HttpClient client, Scenario scenario, BenchTarget target, CancellationToken cancellationToken)
    {
        if (await SendAsync(client, scenario, target, cancellationToken) is { } error)
            throw new BenchFailure($"{scenario.Name}: the first request failed ({error}).");
    }

    static ScenarioResult Result(Scenario scenario, HistogramBase latencies, IReadOnlyDictionary<string, long> errorKinds, double measuredSeconds) => new(
        scenario,
        latencies.TotalCount,
        errorKinds.Values.Sum(),
        errorKinds.ToDictionary(),
        measuredSeconds,
        latencies.TotalCount / measuredSeconds,
        new LatencyMilliseconds(
            Milliseconds(latencies.GetValueAtPercentile(50)),
            Milliseconds(latencies.GetValueAtPercentile(90)),
            Milliseconds(latencies.GetValueAtPercentile(99)),
            Milliseconds(latencies.GetValueAtPercentile(99.9)),
            Milliseconds(latencies.GetMaxValue())));

    sealed class WorkerTally
    {
        public LongHistogram Latencies { get; } = new(HighestLatencyMicroseconds, 3);
        public Dictionary<string, long> ErrorKinds { get; } = [];
    }

    static async Task<WorkerTally> WorkAsync(HttpClient client, Scenario scenario, BenchTarget target, long measureFrom, long measureUntil, CancellationToken cancellationToken)
    {
        var tally = new WorkerTally();
        while (true)
        {
            var startedAt = Stopwatch.GetTimestamp();
            if (startedAt >= measureUntil) return tally;

            var error = await SendAsync(client, scenario, target, cancellationToken);
            if (startedAt < measureFrom) continue;

            // Failed requests are timed too: the error count says how far to trust the percentiles.
            var microseconds = (long)Stopwatch.GetElapsedTime(startedAt).TotalMicroseconds;
            tally.Latencies.RecordValue(Math.Clamp(microseconds, 1, HighestLatencyMicroseconds));
            if (error is not null) tally.ErrorKinds[error] = tally.ErrorKinds.GetValueOrDefault(error) + 1;
        }
    }

    /// <summary>Sends one request and reads the whole answer; returns what went wrong, or null.</summary>
    static async Task<string?> SendAsync(HttpClient client, Scenario scenario, BenchTarget target, CancellationToken cancellationToken)
    {
        try
        {
            using var request = scenario.CreateRequest(target);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"{e.HttpRequestError}: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"timeout after {client.Timeout.TotalSeconds:0} s";
        }
    }

    static long TimestampTicks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);

    static double Milliseconds(long microseconds) => microseconds / 1000.0;
}
