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

    static object RefundsTo(string team) =>
        new { rules = new[] { new { name = "refunds", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } }, then = new { route_to_team = team } } } };

    [Fact]
    public async Task A_rollback_publishes_a_new_version_equal_to_the_old_one_and_records_it()
    {
        var (admin, _) = await AdminAsync();
        var billing = await CreateTeamAsync(admin, "Billing");
        (await admin.PutAsJsonAsync("/v1/routing-rules", RefundsTo(billing), Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>(), @default = new { set_priority = "high" } }, Ct)).EnsureSuccessStatusCode();

        using var rollback = await admin.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct);
        rollback.StatusCode.ShouldBe(HttpStatusCode.OK, await rollback.Content.ReadAsStringAsync(Ct));
        var restored = await rollback.JsonAsync();
        restored.GetProperty("version").GetInt32().ShouldBe(3);
        restored.GetProperty("restored_from").GetInt32().ShouldBe(1);

        var current = await (await admin.GetAsync("/v1/routing-rules", Ct)).JsonAsync();
        current.GetProperty("version").GetInt32().ShouldBe(3);
        current.GetProperty("default").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        current.GetProperty("rules")[0].GetProperty("then").GetProperty("route_to_team").GetString().ShouldBe(billing);
        var history = (await (await admin.GetAsync("/v1/routing-rules/versions", Ct)).JsonAsync()).GetProperty("items");
        history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ShouldBe([3, 2, 1]);
        history[0].GetProperty("restored_from").GetInt32().ShouldBe(1);
        history[0].GetProperty("published_by").GetProperty("kind").GetString().ShouldNotBeNullOrEmpty();
        history[1].GetProperty("restored_from").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        var dryRun = await (await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation = EscalationScenarios.SampleRequest() }, Ct)).JsonAsync();
        dryRun.GetProperty("version").GetInt32().ShouldBe(3);
        dryRun.GetProperty("rule").GetProperty("name").GetString().ShouldBe("refunds");
    }

    [Fact]
    public async Task A_rollback_to_an_unknown_or_current_version_or_one_naming_a_deleted_team_is_refused_and_publishes_nothing()
    {
        var (admin, _) = await AdminAsync();
        (await admin.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var gone = await CreateTeamAsync(admin, "Soon gone");
        (await admin.PutAsJsonAsync("/v1/routing-rules", RefundsTo(gone), Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>() }, Ct)).EnsureSuccessStatusCode();

        (await admin.PostAsync("/v1/routing-rules/versions/0/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync("/v1/routing-rules/versions/9/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync("/v1/routing-rules/versions/-1/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync("/v1/routing-rules/versions/two/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var current = await admin.PostAsync("/v1/routing-rules/versions/2/rollback", null, Ct);
        current.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await current.JsonAsync()).GetProperty("detail").GetString()!.ShouldContain("current version");

        (await admin.DeleteAsync($"/v1/teams/{gone}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var dangling = await admin.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct);
        dangling.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await dangling.JsonAsync()).GetProperty("detail").GetString()!.ShouldContain("rules[0].then.route_to_team");

        (await (await admin.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Only_admins_roll_back_and_never_to_another_tenants_version()
    {
        var (adminA, tenantA) = await AdminAsync();
        var (adminB, _) = await AdminAsync();
        var teamA = await CreateTeamAsync(adminA, "A's team");
        (await adminA.PutAsJsonAsync("/v1/routing-rules", RefundsTo(teamA), Ct)).EnsureSuccessStatusCode();
        (await adminA.PutAsJsonAsync("/v1/routing-rules", new { rules = Array.Empty<object>() }, Ct)).EnsureSuccessStatusCode();

        foreach (var role in new[] { "operator", "supervisor" })
        {
            using var person = _app.CreateHttpClient((await _app.NewMemberAsync(tenantA, role)).Token);
            (await person.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
        }
        using (var owner = _app.CreateHttpClient(tenantA.ApiKey))
        {
            using var created = await owner.PostAsJsonAsync("/v1/api-keys", new { name = "agent", mode = "live", scopes = new[] { "escalations:write" } }, Ct);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
            using var agent = _app.CreateHttpClient((await created.JsonAsync()).GetProperty("key").GetString()!);
            (await agent.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        using (var anonymous = _app.CreateHttpClient())
            (await anonymous.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // B has no version 1: A's history is not B's to restore.
        (await adminB.PostAsync("/v1/routing-rules/versions/1/rollback", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await adminB.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(0);
        (await (await adminA.GetAsync("/v1/routing-rules", Ct)).JsonAsync()).GetProperty("version").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_dry_run_of_a_stored_escalation_uses_its_fields_and_never_another_tenants()
    {
        var (admin, tenant) = await AdminAsync();
        var (_, other) = await AdminAsync();
        var billing = await CreateTeamAsync(admin, "Billing");
        (await admin.PutAsJsonAsync("/v1/routing-rules", new { rules = new[] { new { name = "vip", when = new object[] { new { field = "customer.email", op = "contains", value = "@vip.example" } }, then = new { route_to_team = billing } } } }, Ct)).EnsureSuccessStatusCode();
        static System.Text.Json.Nodes.JsonObject From(string email)
        {
            var request = EscalationScenarios.SampleRequest();
            request["customer"]!["email"] = email;
            return request;
        }
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        using var othersAgent = _app.CreateHttpClient(other.ApiKey);
        var mine = (await agent.OpenEscalationAsync(From("ann@vip.example"))).GetProperty("id").GetString();
        var theirs = (await othersAgent.OpenEscalationAsync(From("bo@vip.example"))).GetProperty("id").GetString();

        using var matched = await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation_id = mine }, Ct);
        matched.StatusCode.ShouldBe(HttpStatusCode.OK, await matched.Content.ReadAsStringAsync(Ct));
        (await matched.JsonAsync()).GetProperty("rule").GetProperty("name").GetString().ShouldBe("vip");

        using var foreign = await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation_id = theirs }, Ct);
        await foreign.ShouldBeInvalidAsync("escalation_id");
        using var both = await admin.PostAsJsonAsync("/v1/routing-rules/dry-run", new { escalation_id = mine, escalation = new { kind = "approval", reason = "x" } }, Ct);
        await both.ShouldBeInvalidAsync("escalation_id");
    }
}
