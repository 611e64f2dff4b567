using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Routing;

public class RoutingRuleEndpointTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(HttpClient Admin, TestTenantAccount Tenant)> AdminAsync()
    {
        var tenant = await _app.NewTenantAsync();
        return (_app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token), tenant);
    }

    static async Task<string> CreateTeamAsync(HttpClient admin, string name, object? extra = null)
    {
        using var response = await admin.PostAsJsonAsync("/v1/teams", extra ?? new { name }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Every_publication_is_a_new_version_kept_in_the_history()
    {
        var (admin, _) = await AdminAsync();
        var billing = await CreateTeamAsync(admin, "Billing");
        (await (await admin.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(0);

        var first = new { rules = new[] { new { name = "refunds", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } }, then = new { route_to_team = billing } } } };
        using var v1 = await admin.PutAsJsonAsync("/v1/routing-rules", first, Ct);
        v1.StatusCode.ShouldBe(HttpStatusCode.OK, await v1.Content.ReadAsStringAsync(Ct));
        (await v1.JsonAsync()).GetProperty("version").GetInt32().ShouldBe(1);

        using var v2 = await admin.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>(), @default = new { route_to_team = billing, set_priority = "high" } }, Ct);
        (await v2.JsonAsync()).GetProperty("version").GetInt32().ShouldBe(2);

        var current = await (await admin.GetAsync("/v1/routing-rules", Ct)).JsonAsync();
        current.GetProperty("version").GetInt32().ShouldBe(2);
        current.GetProperty("default").GetProperty("set_priority").GetString().ShouldBe("high");
        var history = await admin.ListAllAsync("/v1/routing-rules/versions");
        history.Select(v => v.GetProperty("version").GetInt32()).ShouldBe([2, 1]);
        history[1].GetProperty("rules")[0].GetProperty("when")[0].GetProperty("value").GetString().ShouldBe("refund_dispute");
    }

    [Fact]
    public async Task Bad_rules_are_refused_naming_each_field_and_nothing_is_published()
    {
        var (admin, _) = await AdminAsync();
        var body = """
        {
          "rules": [
            { "name": "typo", "when": [ { "field": "reason", "op": "equals", "valu": "x" } ], "then": { "route_to_team": "00000000-0000-0000-0000-000000000001" } },
            { "when": [ { "field": "colour", "op": "equals", "value": "red" } ], "then": { "set_priority": "urgent" } },
            { "when": [ { "field": "customer.email", "op": "regex", "value": "([a-z" } ], "then": {} },
            { "when": [ { "field": "confidence", "op": "contains", "value": "x" } ], "then": { "set_priority": "asap", "wake_up": true } }
          ],
          "mystery": 1
        }
        """;
        using var response = await admin.PutAsync("/v1/routing-rules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await response.ShouldBeInvalidAsync(
            "mystery",
            "rules[0].when[0].valu", "rules[0].when[0].value", "rules[0].then.route_to_team",
            "rules[1].when[0].field",
            "rules[2].when[0].value", "rules[2].then",
            "rules[3].when[0].op", "rules[3].then.set_priority", "rules[3].then.wake_up");
        problem.GetProperty("errors").GetProperty("rules[2].when[0].value")[0].GetString()!.ShouldStartWith("Invalid regular expression");
        problem.GetProperty("errors").GetProperty("rules[1].when[0].field")[0].GetString()!.ShouldContain("Unknown field 'colour'");

        (await (await admin.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task A_dry_run_explains_which_rule_matched_and_why()
    {
        var (admin, _) = await AdminAsync();
        var legal = await CreateTeamAsync(admin, "Legal");
        var billing = await CreateTeamAsync(admin, "Billing");
        var rules = new
        {
            rules = new object[]
            {
                new { name = "legal", when = new object[] { new { field = "reason", op = "in", value = new[] { "legal_threat", "gdpr_request" } } }, then = new { route_to_team = legal } },
                new { name = "gold refunds", when = new object[] { new { field = "metadata.tier", op = "equals", value = "gold" }, new { field = "confidence", op = "between", min = 0, max = 0.5 } }, then = new { route_to_team = billing, set_priority = "urgent" } },
            },
        };
        (await admin.PutAsJsonAsync("/v1/routing-rules", rules, Ct)).EnsureSuccessStatusCode();

        using var response = await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation = EscalationScenarios.SampleRequest() }, Ct);
        var result = await response.JsonAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, result.ToString());
        result.GetProperty("version").GetInt32().ShouldBe(1);
        result.GetProperty("rule").GetProperty("position").GetInt32().ShouldBe(2);
        result.GetProperty("why").GetString().ShouldBe("routed by rule 2 (gold refunds) v1: metadata.tier=gold and confidence=0.42 (between [0, 0.5])");
        result.GetProperty("actions").GetProperty("route_to_team").GetString().ShouldBe(billing);
        result.GetProperty("trace")[0].GetProperty("explanation").GetString().ShouldBe("reason=refund_dispute, wanted in [legal_threat, gdpr_request]");

        using var bad = await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation = new { kind = "handoff" } }, Ct);
        await bad.ShouldBeInvalidAsync("escalation.reason");
    }

    [Fact]
    public async Task NaN_and_infinities_are_refused_in_rules_and_in_the_dry_run()
    {
        var (admin, _) = await AdminAsync();
        var billing = await CreateTeamAsync(admin, "Billing");
        object Rules(object min, object max) => new { rules = new object[] { new { name = "low", when = new object[] { new { field = "confidence", op = "between", min, max } }, then = new { route_to_team = billing } } } };

        using var nan = await admin.PutAsJsonAsync("/v1/routing-rules", Rules("NaN", 0.5), Ct);
        await nan.ShouldBeInvalidAsync("rules[0].when[0].min");
        using var infinite = await admin.PutAsJsonAsync("/v1/routing-rules", Rules(0, "Infinity"), Ct);
        await infinite.ShouldBeInvalidAsync("rules[0].when[0].min");
        using var unused = await admin.PutAsJsonAsync("/v1/routing-rules",
            new { rules = new object[] { new { name = "any", when = new object[] { new { field = "reason", op = "equals", value = "x", min = "NaN" } }, then = new { route_to_team = billing } } } }, Ct);
        await unused.ShouldBeInvalidAsync("rules[0].when[0].min");
        (await (await admin.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(0);

        var sample = EscalationScenarios.SampleRequest();
        sample["confidence"] = "NaN";
        using var dryRun = await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation = sample, rules = Rules(0, "-Infinity") }, Ct);
        await dryRun.ShouldBeInvalidAsync("escalation.confidence", "rules[0].when[0].min");
    }

    [Fact]
    public async Task Operators_read_the_rules_but_only_admins_change_them()
    {
        var tenant = await _app.NewTenantAsync();
        var person = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        (await person.GetAsync("/v1/routing-rules", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await person.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>() }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await person.PostAsJsonAsync("/v1/teams", new { name = "Mine" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_tenant_never_sees_or_uses_the_rules_and_teams()
    {
        var (adminA, _) = await AdminAsync();
        var (adminB, _) = await AdminAsync();
        var teamA = await CreateTeamAsync(adminA, "A's team");
        (await adminA.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>(), @default = new { route_to_team = teamA } }, Ct)).EnsureSuccessStatusCode();

        (await adminB.GetAsync($"/v1/teams/{teamA}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await adminB.PutAsJsonAsync($"/v1/teams/{teamA}", new { name = "stolen" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await adminB.DeleteAsync($"/v1/teams/{teamA}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await adminB.ListAllAsync("/v1/teams")).Length.ShouldBe(0);
        (await (await adminB.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(0);
        (await adminB.ListAllAsync("/v1/routing-rules/versions")).Length.ShouldBe(0);
        using var borrowing = await adminB.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>(), @default = new { route_to_team = teamA } }, Ct);
        await borrowing.ShouldBeInvalidAsync("default.route_to_team");
    }
}
