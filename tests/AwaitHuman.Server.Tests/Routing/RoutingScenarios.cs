using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Routing;

/// <summary>A tenant with an admin, operators, one team and rules, set up over HTTP as an admin would.</summary>
public sealed class RoutedTenant
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public required AwaitHumanApp App { get; init; }
    public required TestTenantAccount Tenant { get; init; }
    public required HttpClient Admin { get; init; }
    public required HttpClient Agent { get; init; }
    public required List<TestMember> Operators { get; init; }
    public string TeamId { get; private set; } = "";

    public static async Task<RoutedTenant> StartAsync(AwaitHumanApp app, int operators, object? team = null, Func<string, object>? rules = null, object? policy = null)
    {
        var tenant = await app.NewTenantAsync();
        var routed = new RoutedTenant
        {
            App = app, Tenant = tenant,
            Admin = app.CreateHttpClient((await app.NewMemberAsync(tenant, "admin")).Token),
            Agent = app.CreateHttpClient(tenant.ApiKey),
            Operators = [],
        };
        for (var i = 0; i < operators; i++) routed.Operators.Add(await app.NewMemberAsync(tenant, "operator"));
        string? policyId = null;
        if (policy is not null) policyId = (await routed.SendOkAsync(HttpMethod.Post, "/v1/sla-policies", policy)).GetProperty("id").GetString();
        var body = JsonSerializer.SerializeToNode(team ?? new { name = "Billing" })!.AsObject();
        body["members"] = JsonSerializer.SerializeToNode(routed.Operators.Select(o => new { person_id = o.PersonId, capacity = 2, skills = new { refunds = 3 } }));
        routed.TeamId = (await routed.SendOkAsync(HttpMethod.Post, "/v1/teams", body)).GetProperty("id").GetString()!;
        await routed.SendOkAsync(HttpMethod.Put, "/v1/routing-rules", rules?.Invoke(routed.TeamId) ?? new
        {
            rules = new object[]
            {
                new { name = "refunds", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } },
                      then = new { route_to_team = routed.TeamId, set_priority = "urgent", apply_sla_policy = policyId, acknowledge = new { } } },
            },
        });
        return routed;
    }

    public HttpClient OperatorClient(int index) => App.CreateHttpClient(Operators[index].Token);

    public async Task OnlineAsync(int index, string status = "online") =>
        (await OperatorClient(index).PutAsJsonAsync("/v1/operators/me/presence", new { status }, Ct)).EnsureSuccessStatusCode();

    public async Task<JsonElement> SendOkAsync(HttpMethod method, string path, object body)
    {
        using var response = await Admin.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) }, Ct);
        var json = await response.JsonAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{method} {path}: {json}");
        return json;
    }

    public async Task<string> OpenAsync(string reason = "refund_dispute", string? channel = null)
    {
        var request = EscalationScenarios.SampleRequest();
        request["reason"] = reason;
        if (channel is not null) request["customer"]!["preferred_channel"] = channel;
        return (await Agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
    }

    /// <summary>Waits until routing recorded <paramref name="what"/> (routed, assigned, queued, ...) on the escalation; returns the details as a person sees them.</summary>
    public async Task<JsonElement> WhenAsync(string id, string what, int seconds = 20) =>
        (await Eventually.GetAsync(async () =>
        {
            var details = await Admin.GetEscalationAsync(id);
            return details.GetProperty("routing").GetProperty("decisions").EnumerateArray().Any(d => d.GetProperty("what").GetString() == what) ? new[] { details } : null;
        }, TimeSpan.FromSeconds(seconds), $"'{what}' on {id}"))[0];
}
