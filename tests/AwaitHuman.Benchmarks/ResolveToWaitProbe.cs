using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AwaitHuman.Benchmarks;

/// <summary>Signed percentiles in milliseconds: a wait may answer before the resolve's own answer arrives.</summary>
public sealed record SignedLatencyMilliseconds(double Min, double P50, double P90, double P99, double Max)
{
    public static SignedLatencyMilliseconds Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = values.Order().ToArray();
        return new(sorted[0], Rank(50), Rank(90), Rank(99), sorted[^1]);

        // Nearest rank: the smallest value with at least p% of the values at or below it.
        double Rank(double percentile) => sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];
    }
}

public sealed record ResolveToWaitResult(
    int Iterations,
    int Pairs,
    double HeadStartMs,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorKinds,
    SignedLatencyMilliseconds FromResolveAnswered,
    SignedLatencyMilliseconds FromResolveSent,
    int WaitAnsweredFirst);

/// <summary>
/// The agent's long poll against the operator's resolve. Each iteration opens an escalation as the
/// agent, claims it as the operator, starts <c>GET /wait</c>, gives it a head start so the server
/// is watching, then resolves; it times the wait's answer from the resolve's answer and from its
/// sending. Several pairs of agent and operator run at once; each pair works one case at a time.
/// </summary>
public static class ResolveToWaitProbe
{
    public const int Iterations = 300;
    public const int Pairs = 4;
    const int WarmupIterations = 20;
    /// <summary>
    /// Long enough for the wait to reach the server and register its watch on a loaded machine; a
    /// wait that arrives after the resolve answers at once, so a too short head start flatters the figure.
    /// </summary>
    static readonly TimeSpan HeadStart = TimeSpan.FromMilliseconds(50);

    public static async Task<ResolveToWaitResult> RunAsync(BenchTarget target, CancellationToken cancellationToken)
    {
        if (target.OperatorToken is null)
            throw new BenchFailure("The demo credentials hold no operator token (written by an older server): move the data folder away to seed the demo tenant anew.");

        Console.Error.WriteLine($"{Scenarios.ResolveToWait}: {WarmupIterations} warm-up + {Iterations} measured iterations, {Pairs} pairs at once, {HeadStart.TotalMilliseconds:0} ms head start for each wait...");
        // Each pair holds at most two requests at once: the wait, and an open, claim or resolve.
        using var client = LoadDriver.CreateHttpClient(2 * Pairs);
        var next = -1;
        var samples = new Sample?[WarmupIterations + Iterations];
        var errorKinds = new Dictionary<string, long>();

        await Task.WhenAll(Enumerable.Range(0, Pairs).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < samples.Length; i = Interlocked.Increment(ref next))
            {
                try
                {
                    samples[i] = await IterateAsync(client, target, cancellationToken);
                }
                catch (ProbeFailure failure) when (i >= WarmupIterations)
                {
                    lock (errorKinds) errorKinds[failure.Message] = errorKinds.GetValueOrDefault(failure.Message) + 1;
                }
                catch (ProbeFailure)
                {
                    // Warm-up: the first calls compile endpoints and may time out; not measured.
                }
            }
        }, cancellationToken)));

        var measured = samples.Skip(WarmupIterations).OfType<Sample>().ToList();
        return new ResolveToWaitResult(
            Iterations,
            Pairs,
            HeadStart.TotalMilliseconds,
            errorKinds.Values.Sum(),
            errorKinds,
            SignedLatencyMilliseconds.Of(measured.Select(s => s.FromResolveAnsweredMs).ToList()),
            SignedLatencyMilliseconds.Of(measured.Select(s => s.FromResolveSentMs).ToList()),
            measured.Count(s => s.FromResolveAnsweredMs < 0));
    }

    sealed record Sample(double FromResolveAnsweredMs, double FromResolveSentMs);

    sealed class ProbeFailure(string message) : Exception(message);

    static async Task<Sample> IterateAsync(HttpClient client, BenchTarget target, CancellationToken cancellationToken)
    {
        string id;
        using (var open = RealisticEscalation.Create(target))
            id = (await SendOkAsync(client, open, HttpStatusCode.Created, "open", cancellationToken)).Body.GetProperty("id").GetString()!;

        using (var claim = Post(target, id, "claim", new { }))
            await SendOkAsync(client, claim, HttpStatusCode.OK, "claim", cancellationToken);

        // A failed iteration stops its wait instead of leaving it to time out.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = WaitAsync(client, target, id, abandon.Token);
        try
        {
            await Task.Delay(HeadStart, cancellationToken);
            if (wait.IsCompleted) throw new ProbeFailure("the wait answered before the resolve was sent");

            var resolveSentAt = Stopwatch.GetTimestamp();
            using var resolve = Post(target, id, "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded the duplicate charge of 49.90 EUR; a replacement pair ships today." } });
            var (_, resolveAnsweredAt) = await SendOkAsync(client, resolve, HttpStatusCode.OK, "resolve", cancellationToken);

            var waitAnsweredAt = await wait;
            return new Sample(Milliseconds(waitAnsweredAt - resolveAnsweredAt), Milliseconds(waitAnsweredAt - resolveSentAt));
        }
        finally
        {
            abandon.Cancel();
        }
    }

    /// <summary>The agent's long poll; returns when its answer arrived, after checking it carries the hand-back.</summary>
    static async Task<long> WaitAsync(HttpClient client, BenchTarget target, string id, CancellationToken cancellationToken)
    {
        // Off the caller's path: its head start must not wait for this request to be written.
        await Task.Yield();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.Address, $"/v1/escalations/{id}/wait?timeout_seconds=30"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
        var (escalation, answeredAt) = await SendOkAsync(client, request, HttpStatusCode.OK, "wait", cancellationToken);
        if (escalation.GetProperty("status").GetString() != "resolved" || escalation.GetProperty("hand_back").ValueKind != JsonValueKind.Object)
            throw new ProbeFailure("the wait answered without the hand-back (timed out?)");
        return answeredAt;
    }

    static HttpRequestMessage Post(BenchTarget target, string id, string action, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Address, $"/v1/escalations/{id}/{action}")) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.OperatorToken);
        return request;
    }

    /// <summary>Sends and reads the whole answer; returns its JSON and the timestamp it had fully arrived at.</summary>
    static async Task<(JsonElement Body, long AnsweredAt)> SendOkAsync(
        HttpClient client, HttpRequestMessage request, HttpStatusCode expected, string step, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var answeredAt = Stopwatch.GetTimestamp();
            if (response.StatusCode != expected) throw new ProbeFailure($"{step}: HTTP {(int)response.StatusCode} {response.StatusCode}");
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken), answeredAt);
        }
        catch (HttpRequestException e)
        {
            throw new ProbeFailure($"{step}: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProbeFailure($"{step}: timeout after {client.Timeout.TotalSeconds:0} s");
        }
    }

    static double Milliseconds(long timestampTicks) => timestampTicks * 1000.0 / Stopwatch.Frequency;
}
