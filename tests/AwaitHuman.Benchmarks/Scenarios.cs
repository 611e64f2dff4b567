using System.Text;

namespace AwaitHuman.Benchmarks;

public enum ScenarioTarget { Twin, Server }

/// <summary>One kind of request, sent in a closed loop; <see cref="CreateRequest"/> gets the target's base address.</summary>
public sealed record Scenario(string Name, ScenarioTarget Target, string Description, Func<Uri, HttpRequestMessage> CreateRequest);

public static class Scenarios
{
    public const string Twin = "twin-insert";

    // About the size of a small escalation, so the twin's insert carries a realistic row.
    const string SamplePayload = """{"question":"Approve the refund of 42.00 EUR for order 1234?","channel":"sms","callback_url":"https://example.test/hook"}""";

    /// <summary>Every scenario, one line each; the twin comes first because every other one is compared with it.</summary>
    public static readonly IReadOnlyList<Scenario> All =
    [
        new(Twin, ScenarioTarget.Twin, "POST /twin: bare Kestrel, one INSERT through Npgsql (the floor)", address => Post(address, "/twin", SamplePayload)),
        new("server-health-ready", ScenarioTarget.Server, "GET /health/ready: ASP.NET health check, SELECT 1, no Wolverine", address => Get(address, "/health/ready")),
        new("server-api-root", ScenarioTarget.Server, "GET /v1: Wolverine.Http endpoint, no database", address => Get(address, "/v1")),
    ];

    /// <summary>The chosen scenarios in registration order, always with the twin; none chosen means all.</summary>
    public static IReadOnlyList<Scenario> Select(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? All : All.Where(s => s.Name == Twin || names.Contains(s.Name)).ToList();

    static HttpRequestMessage Get(Uri address, string path) => new(HttpMethod.Get, new Uri(address, path));

    static HttpRequestMessage Post(Uri address, string path, string json) => new(HttpMethod.Post, new Uri(address, path))
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };
}
