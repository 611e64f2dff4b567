using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Security;
using AwaitHuman.Server.Tests.OAuth;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Security;

/// <summary>
/// Provisioning by script: every admin endpoint answers an API key that carries its scope (the table
/// in docs/scopes.md), and refuses one without it with a 403 naming the scope.
/// </summary>
public class AdminScopeTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What a case may arrange first with the owner's key: the tenant, a team, a member.</summary>
    sealed record Arranged(TestTenantAccount Tenant, HttpClient Owner, string TeamId, TestMember Operator);

    sealed record AdminCall(string Scope, Func<Arranged, HttpRequestMessage> Request);

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Send(HttpMethod method, string path, object? body = null) =>
        new(method, path) { Content = body is null ? null : JsonContent.Create(body) };

    static readonly Dictionary<string, AdminCall> Calls = new()
    {
        ["list members"] = new(Scopes.MembersRead, _ => Get("/v1/members")),
        ["invite a member"] = new(Scopes.MembersManage, _ => Send(HttpMethod.Post, "/v1/members", new { email = $"new-{Guid.NewGuid():N}@example.test", role = "operator" })),
        ["change a member's role"] = new(Scopes.MembersManage, a => Send(HttpMethod.Patch, $"/v1/members/{a.Operator.MembershipId}", new { role = "supervisor" })),
        ["remove a member"] = new(Scopes.MembersManage, a => Send(HttpMethod.Delete, $"/v1/members/{a.Operator.MembershipId}")),
        ["list invitations"] = new(Scopes.MembersRead, _ => Get("/v1/invitations")),
        ["list teams"] = new(Scopes.TeamsRead, _ => Get("/v1/teams")),
        ["get a team"] = new(Scopes.TeamsRead, a => Get($"/v1/teams/{a.TeamId}")),
        ["create a team"] = new(Scopes.TeamsManage, _ => Send(HttpMethod.Post, "/v1/teams", new { name = "Scripted" })),
        ["replace a team"] = new(Scopes.TeamsManage, a => Send(HttpMethod.Put, $"/v1/teams/{a.TeamId}", new { name = "Renamed" })),
        ["delete a team"] = new(Scopes.TeamsManage, a => Send(HttpMethod.Delete, $"/v1/teams/{a.TeamId}")),
        ["add a team member"] = new(Scopes.TeamsManage, a => Send(HttpMethod.Put, $"/v1/teams/{a.TeamId}/members/{a.Operator.PersonId}", new { capacity = 3 })),
        ["team availability"] = new(Scopes.MembersRead, a => Get($"/v1/teams/{a.TeamId}/availability")),
        ["read routing rules"] = new(Scopes.RoutingRead, _ => Get("/v1/routing-rules")),
        ["publish routing rules"] = new(Scopes.RoutingManage, a => Send(HttpMethod.Put, "/v1/routing-rules", new { rules = Array.Empty<object>(), @default = new { route_to_team = a.TeamId } })),
        ["routing rule versions"] = new(Scopes.RoutingRead, _ => Get("/v1/routing-rules/versions")),
        ["dry-run routing rules"] = new(Scopes.RoutingRead, _ => Send(HttpMethod.Post, "/v1/routing-rules/dry-run", new { escalation = EscalationScenarios.SampleRequest() })),
        ["list SLA policies"] = new(Scopes.RoutingRead, _ => Get("/v1/sla-policies")),
        ["create an SLA policy"] = new(Scopes.RoutingManage, _ => Send(HttpMethod.Post, "/v1/sla-policies", new { name = "Scripted", first_response_seconds = 300 })),
        ["list channel connections"] = new(Scopes.ChannelsManage, _ => Get("/v1/channel-connections")),
        ["list API keys"] = new(Scopes.ApiKeysManage, _ => Get("/v1/api-keys")),
        ["create an API key"] = new(Scopes.ApiKeysManage, _ => Send(HttpMethod.Post, "/v1/api-keys", new { name = "child", scopes = new[] { Scopes.ApiKeysManage } })),
        ["list OAuth clients"] = new(Scopes.OAuthClientsManage, _ => Get("/v1/oauth-clients")),
        ["register an OAuth client"] = new(Scopes.OAuthClientsManage, _ => Send(HttpMethod.Post, "/v1/oauth-clients", new { name = "child", scopes = new[] { Scopes.OAuthClientsManage } })),
        ["list webhook endpoints"] = new(Scopes.WebhooksManage, _ => Get("/v1/webhook-endpoints")),
        ["create a webhook endpoint"] = new(Scopes.WebhooksManage, _ => Send(HttpMethod.Post, "/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/hooks", event_types = new[] { "*" } })),
        ["read the audit trail"] = new(Scopes.AuditRead, _ => Get("/v1/audit")),
        ["read the retention period"] = new(Scopes.CustomerDataRead, _ => Get("/v1/customer-data/retention")),
        ["set the retention period"] = new(Scopes.CustomerDataErase, _ => Send(HttpMethod.Put, "/v1/customer-data/retention", new { transcript_retention_days = 365 })),
        ["rename the tenant"] = new(Scopes.TenantManage, _ => Send(HttpMethod.Patch, "/v1/tenant", new { name = "Renamed by script" })),
    };

    public static TheoryData<string> CallNames => [.. Calls.Keys];

    async Task<Arranged> ArrangeAsync()
    {
        var tenant = await _app.NewTenantAsync();
        var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var team = await owner.PostAsJsonAsync("/v1/teams", new { name = "Billing" }, Ct);
        team.StatusCode.ShouldBe(HttpStatusCode.Created, await team.Content.ReadAsStringAsync(Ct));
        return new Arranged(tenant, owner, (await team.JsonAsync()).GetProperty("id").GetString()!, await _app.NewMemberAsync(tenant, Roles.Operator));
    }

    async Task<HttpClient> KeyWithAsync(HttpClient owner, string scope)
    {
        using var response = await owner.PostAsJsonAsync("/v1/api-keys", new { name = $"only {scope}", scopes = new[] { scope } }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return _app.CreateHttpClient((await response.JsonAsync()).GetProperty("key").GetString()!);
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task A_key_with_the_scope_may_and_one_without_it_is_told_which_scope_it_lacks(string name)
    {
        var call = Calls[name];
        var arranged = await ArrangeAsync();
        // Any other scope: the refusal must be about this endpoint's scope, not about keys in general.
        var otherScope = call.Scope == Scopes.EscalationsRead ? Scopes.EscalationsWrite : Scopes.EscalationsRead;
        using var without = await KeyWithAsync(arranged.Owner, otherScope);

        using (var refused = await without.SendAsync(call.Request(arranged), Ct))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, name);
            (await refused.JsonAsync()).GetProperty("detail").GetString().ShouldBe($"This credential lacks the scope {call.Scope}.");
        }

        using var with = await KeyWithAsync(arranged.Owner, call.Scope);
        using var allowed = await with.SendAsync(call.Request(arranged), Ct);
        allowed.IsSuccessStatusCode.ShouldBeTrue($"{name}: {(int)allowed.StatusCode} {await allowed.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task The_owners_all_scope_key_provisions_teams_rules_and_sla_policies()
    {
        var arranged = await ArrangeAsync();

        using var policy = await arranged.Owner.PostAsJsonAsync("/v1/sla-policies", new { name = "Gold", first_response_seconds = 120 }, Ct);
        policy.StatusCode.ShouldBe(HttpStatusCode.Created, await policy.Content.ReadAsStringAsync(Ct));
        using var rules = await arranged.Owner.PutAsJsonAsync("/v1/routing-rules", new
        {
            rules = Array.Empty<object>(),
            @default = new { route_to_team = arranged.TeamId, apply_sla_policy = (await policy.JsonAsync()).GetProperty("id").GetString() },
        }, Ct);
        rules.StatusCode.ShouldBe(HttpStatusCode.OK, await rules.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task An_oauth_client_with_the_scope_creates_a_team_and_one_without_it_is_refused()
    {
        var arranged = await ArrangeAsync();
        var manager = await _app.NewConfidentialClientAsync(arranged.Tenant.ApiKey, Scopes.TeamsManage);
        var reader = await _app.NewConfidentialClientAsync(arranged.Tenant.ApiKey, Scopes.TeamsRead);

        using var asManager = _app.CreateHttpClient(await _app.ClientCredentialsTokenAsync(manager));
        (await asManager.PostAsJsonAsync("/v1/teams", new { name = "By client" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var asReader = _app.CreateHttpClient(await _app.ClientCredentialsTokenAsync(reader));
        (await asReader.GetAsync("/v1/teams", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await asReader.PostAsJsonAsync("/v1/teams", new { name = "Not allowed" }, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.JsonAsync()).GetProperty("detail").GetString().ShouldBe($"This credential lacks the scope {Scopes.TeamsManage}.");
    }

    [Fact]
    public async Task A_person_is_told_their_role_and_the_role_that_may()
    {
        var arranged = await ArrangeAsync();
        using var asOperator = _app.CreateHttpClient(arranged.Operator.Token);

        (await asOperator.GetAsync("/v1/teams", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await asOperator.PostAsJsonAsync("/v1/teams", new { name = "Mine" }, Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.JsonAsync()).GetProperty("detail").GetString()
            .ShouldBe($"Your role (operator) lacks the scope {Scopes.TeamsManage}; the role admin or above holds it.");
    }

    [Fact]
    public async Task An_endpoint_only_a_person_may_use_names_the_role_a_key_cannot_have()
    {
        var arranged = await ArrangeAsync();

        using var refused = await arranged.Owner.GetAsync("/v1/billing", Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await refused.JsonAsync();
        problem.GetProperty("detail").GetString().ShouldBe("This needs a person with the role owner or above; API keys and OAuth clients cannot do it.");
        problem.GetProperty("status").GetInt32().ShouldBe(403);
    }
}
