using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace AwaitHuman.Benchmarks;

public enum ScenarioTarget { Twin, Server }

/// <summary>Where a scenario sends its requests, with the demo tenant's API key (an agent) and its operator's personal access token.</summary>
public sealed record BenchTarget(Uri Address, string ApiKey, string? OperatorToken);

/// <summary>One kind of request, sent in a closed loop, or on a fixed schedule when <see cref="AtRate"/> is set.</summary>
public sealed record Scenario(string Name, ScenarioTarget Target, string Description, Func<BenchTarget, HttpRequestMessage> CreateRequest)
{
    public FixedRate? AtRate { get; init; }
}

/// <summary>An open loop at <paramref name="Fraction"/> of the throughput scenario <paramref name="Of"/> reached earlier in the same run.</summary>
public sealed record FixedRate(string Of, double Fraction);

public static class Scenarios
{
    public const string Twin = "twin-insert";
    public const string EscalationCreate = "escalation-create";
    public const string EscalationCreateAtRate = "escalation-create-80pct";
    /// <summary>Not a load scenario: latency probes of resolve to long-poll answer (<see cref="ResolveToWaitProbe"/>).</summary>
    public const string ResolveToWait = "resolve-to-wait";

    // About the size of a small escalation, so the twin's insert carries a realistic row.
    const string SamplePayload = """{"question":"Approve the refund of 42.00 EUR for order 1234?","channel":"sms","callback_url":"https://example.test/hook"}""";

    /// <summary>Every scenario, one line each; the twin comes first because every other one is compared with it.</summary>
    public static readonly IReadOnlyList<Scenario> All =
    [
        new(Twin, ScenarioTarget.Twin, "POST /twin: bare Kestrel, one INSERT through Npgsql (the floor)", target => Post(target, "/twin", SamplePayload)),
        new("server-health-ready", ScenarioTarget.Server, "GET /health/ready: ASP.NET health check, SELECT 1, no Wolverine", target => Get(target, "/health/ready")),
        new("server-api-root", ScenarioTarget.Server, "GET /v1: Wolverine.Http endpoint, no database", target => Get(target, "/v1")),
        new("server-me-api-key", ScenarioTarget.Server, "GET /v1/me with an API key: key by hash and tenant looked up on every request", target => Get(target, "/v1/me", target.ApiKey)),
        new(EscalationCreate, ScenarioTarget.Server,
            string.Create(CultureInfo.InvariantCulture, $"POST /v1/escalations as an agent: {RealisticEscalation.BodyBytes:N0}-byte body ({RealisticEscalation.TranscriptLines}-line transcript of {RealisticEscalation.TranscriptBytes:N0} bytes, tool trace, metadata), a new Idempotency-Key each"),
            RealisticEscalation.Create),
        new(EscalationCreateAtRate, ScenarioTarget.Server,
            $"the same on a fixed schedule at 80% of {EscalationCreate}'s req/s; latency from each request's intended send time",
            RealisticEscalation.Create) { AtRate = new FixedRate(EscalationCreate, 0.8) },
    ];

    /// <summary>Every name --scenario accepts, with what it measures.</summary>
    public static IReadOnlyList<(string Name, string Description)> Names { get; } =
    [
        .. All.Select(s => (s.Name, s.Description)),
        (ResolveToWait, $"an operator resolves while the agent long-polls GET /wait: time until the wait answers ({ResolveToWaitProbe.Iterations} times, {ResolveToWaitProbe.Pairs} pairs at once)"),
    ];

    /// <summary>
    /// The chosen load scenarios in registration order, always with the twin and with the scenario a
    /// fixed rate is taken from; none chosen means all.
    /// </summary>
    public static IReadOnlyList<Scenario> Select(IReadOnlyCollection<string> names) =>
        names.Count == 0
            ? All
            : All.Where(s => s.Name == Twin || names.Contains(s.Name) || All.Any(other => names.Contains(other.Name) && other.AtRate?.Of == s.Name)).ToList();

    public static bool IsChosen(IReadOnlyCollection<string> names, string name) => names.Count == 0 || names.Contains(name);

    static HttpRequestMessage Get(BenchTarget target, string path, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.Address, path));
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    static HttpRequestMessage Post(BenchTarget target, string path, string json) => new(HttpMethod.Post, new Uri(target.Address, path))
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };
}
