using System.Net;
using System.Text.Json;
using AwaitHuman.Core.Escalations.Deadlines;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class DeadlineAndInboxTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Past_its_deadline_an_escalation_times_out_and_says_so_honestly()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest("approval");
        request["deadline_seconds"] = 10;
        var opened = await agent.OpenEscalationAsync(request);
        var id = opened.GetProperty("id").GetString()!;
        var deadline = opened.GetProperty("deadline_at").GetDateTimeOffset();
        deadline.ShouldBeInRange(DateTimeOffset.UtcNow.AddSeconds(5), DateTimeOffset.UtcNow.AddSeconds(11));

        // The scheduled timeout is durable: it waits in Wolverine's tables, not in memory, until the deadline.
        (await DurableTimers.DueTimesAsync(TestPostgres.ConnectionString, nameof(TimeOutEscalation), Guid.Parse(id)))
            .ShouldHaveSingleItem().ShouldBe(deadline, TimeSpan.FromMilliseconds(1));

        // The agent waits; the deadline comes (Wolverine's poller runs the timer made due now).
        var waiting = agent.GetAsync($"/v1/escalations/{id}/wait?timeout_seconds=30", Ct);
        await DurableTimers.RunNextAsync(TestPostgres.ConnectionString, nameof(TimeOutEscalation), Guid.Parse(id));
        using var response = await waiting;
        var escalation = await response.JsonAsync();
        escalation.GetProperty("status").GetString().ShouldBe("timed_out");
        var handBack = escalation.GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("timed_out");
        handBack.GetProperty("decision").ValueKind.ShouldBe(JsonValueKind.Null);
        handBack.GetProperty("must_not_claim")[0].GetString()!.ShouldContain("human reviewed or approved");
    }

    [Fact]
    public async Task A_timeout_after_the_human_answered_changes_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest("question");
        request["deadline_seconds"] = 10;
        var id = (await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
        await _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token)
            .ActOkAsync(id, "resolve", new { outcome = "answered", resolution = new { summary = "Yes." } });

        await DurableTimers.RunNextAsync(TestPostgres.ConnectionString, nameof(TimeOutEscalation), Guid.Parse(id));
        var escalation = await agent.GetEscalationAsync(id);
        escalation.GetProperty("status").GetString().ShouldBe("resolved");
        escalation.GetProperty("version").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task The_inbox_filters_and_pages_newest_first()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var member = await _app.NewMemberAsync(tenant, "operator");
        var human = _app.CreateHttpClient(member.Token);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var request = EscalationScenarios.SampleRequest(externalRef: $"conv-{i}");
            request["priority"] = i % 2 == 0 ? "urgent" : "low";
            request["reason"] = i < 3 ? "refund_dispute" : "legal_threat";
            ids.Add((await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!);
        }
        await human.ActOkAsync(ids[4], "claim");
        await human.ActOkAsync(ids[0], "resolve", new { outcome = "resolved", resolution = new { summary = "ok" } });

        async Task<(string[] Ids, string? Next)> PageAsync(HttpClient caller, string query)
        {
            using var response = await caller.GetAsync($"/v1/escalations?{query}", Ct);
            var page = await response.JsonAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, page.ToString());
            return ([.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)],
                page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString());
        }

        (await PageAsync(agent, "external_ref=conv-3")).Ids.ShouldBe([ids[3]]);
        (await PageAsync(agent, "priority=urgent")).Ids.ShouldBe([ids[4], ids[2], ids[0]]);
        (await PageAsync(agent, "reason=legal_threat")).Ids.ShouldBe([ids[4], ids[3]]);
        (await PageAsync(agent, "status=resolved")).Ids.ShouldBe([ids[0]]);
        (await PageAsync(agent, "status=waiting_for_human,with_human&channel=agent")).Ids.ShouldBe([ids[4], ids[3], ids[2], ids[1]]);
        (await PageAsync(human, "owner=me")).Ids.ShouldBe([ids[4]]);
        (await PageAsync(agent, "owner=human")).Ids.ShouldBe([ids[4]]);

        var first = await PageAsync(agent, "limit=2");
        first.Ids.ShouldBe([ids[4], ids[3]]);
        var second = await PageAsync(agent, $"limit=2&cursor={first.Next}");
        second.Ids.ShouldBe([ids[2], ids[1]]);
        var last = await PageAsync(agent, $"limit=2&cursor={second.Next}");
        last.Ids.ShouldBe([ids[0]]);
        last.Next.ShouldBeNull();

        using var summary = await agent.GetAsync("/v1/escalations?external_ref=conv-4", Ct);
        var row = (await summary.JsonAsync()).GetProperty("items")[0];
        row.GetProperty("operator_name").GetString().ShouldBe(member.Email);
        row.GetProperty("messages").GetInt32().ShouldBe(2);
        row.TryGetProperty("transcript", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Inbox_filters_are_checked()
    {
        var tenant = await _app.NewTenantAsync();
        using var response = await _app.CreateHttpClient(tenant.ApiKey).GetAsync("/v1/escalations?status=open&priority=asap&channel=fax&owner=me&limit=500&cursor=abc", Ct);
        await response.ShouldBeInvalidAsync("status", "priority", "channel", "owner", "limit", "cursor");
    }

    [Fact]
    public async Task Every_filter_refuses_a_value_not_of_its_form_and_a_well_formed_unknown_one_finds_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        await agent.OpenEscalationAsync();

        using var bogus = await agent.GetAsync("/v1/escalations?owner=bogus&team=sales&reason=Not%20A%20Code", Ct);
        await bogus.ShouldBeInvalidAsync("owner", "team", "reason");

        foreach (var query in new[] { $"owner={Guid.NewGuid()}", $"team={Guid.NewGuid()}", "reason=legal_threat" })
        {
            using var response = await agent.GetAsync($"/v1/escalations?{query}", Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, query);
            (await response.JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0, query);
        }
    }
}
