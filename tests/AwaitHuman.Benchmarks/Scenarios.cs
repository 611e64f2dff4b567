using System.Net.Http.Headers;
using System.Text;

namespace AwaitHuman.Benchmarks;

public enum ScenarioTarget { Twin, Server }

/// <summary>Where a scenario sends its requests, and the demo tenant's API key for those that authenticate.</summary>
public sealed record BenchTarget(Uri Address, string ApiKey);

/// <summary>One kind of request, sent in a closed loop.</summary>
public sealed record Scenario(string Name, ScenarioTarget Target, string Description, Func<BenchTarget, HttpRequestMessage> CreateRequest);

public static class Scenarios
{
    public const string Twin = "twin-insert";

    // About the size of a small escalation, so the twin's insert carries a realistic row.
    const string SamplePayload = """{"question":"Approve the refund of 42.00 EUR for order 1234?","channel":"sms","callback_url":"https://example.test/hook"}""";

    /// <summary>Every scenario, one line each; the twin comes first because every other one is compared with it.</summary>
    public static readonly IReadOnlyList<Scenario> All =
    [
        new(Twin, ScenarioTarget.Twin, "POST /twin: bare Kestrel, one INSERT through Npgsql (the floor)", target => Post(target, "/twin", SamplePayload)),
        new("server-health-ready", ScenarioTarget.Server, "GET /health/ready: ASP.NET health check, SELECT 1, no Wolverine", target => Get(target, "/health/ready")),
        new("server-api-root", ScenarioTarget.Server, "GET /v1: Wolverine.Http endpoint, no database", target => Get(target, "/v1")),
        new("server-me-api-key", ScenarioTarget.Server, "GET /v1/me with an API key: key by hash and tenant looked up on every request", target => Get(target, "/v1/me", target.ApiKey)),
    ];

    /// <summary>The chosen scenarios in registration order, always with the twin; none chosen means all.</summary>
    public static IReadOnlyList<Scenario> Select(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? All : All.Where(s => s.Name == Twin || names.Contains(s.Name)).ToList();

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
