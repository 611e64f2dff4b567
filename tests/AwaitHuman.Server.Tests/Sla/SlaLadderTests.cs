using System.Net.Http.Json;
using AwaitHuman.Core.Sla;
using AwaitHuman.Server.Tests.Routing;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Sla;

public class SlaLadderTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly object Ladder = new
    {
        name = "Fast",
        first_response_seconds = 10,
        steps = new object[] { new { after_seconds = 1, action = "notify_supervisors" }, new { after_seconds = 8, action = "time_out" } },
    };

    [Fact]
    public async Task With_nobody_available_the_ladder_ends_in_an_honest_no_operator_available()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1, policy: Ladder);
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "sla_applied");

        // The ladder's timers come due one after the other: first the supervisors are told, then it times out.
        await DurableTimers.RunNextAsync(TestPostgres.ConnectionString, nameof(SlaCheckpoint), Guid.Parse(id));
        await routed.WhenAsync(id, "people_notified");
        var waiting = routed.Agent.GetAsync($"/v1/escalations/{id}/wait?timeout_seconds=30", Ct);
        await DurableTimers.RunNextAsync(TestPostgres.ConnectionString, nameof(SlaCheckpoint), Guid.Parse(id));
        using var response = await waiting;
        var escalation = await response.JsonAsync();
        escalation.GetProperty("status").GetString().ShouldBe("timed_out", escalation.ToString());
        escalation.GetProperty("hand_back").GetProperty("outcome").GetString().ShouldBe("no_operator_available");

        var details = await routed.Admin.GetEscalationAsync(id);
        var whats = details.GetProperty("routing").GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("what").GetString()).ToArray();
        whats.ShouldContain("sla_applied");
        whats.ShouldContain("people_notified");
        details.GetProperty("routing").GetProperty("sla").GetProperty("policy_name").GetString().ShouldBe("Fast");
    }

    [Fact]
    public async Task Timers_survive_a_restart_in_the_middle_of_the_ladder()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("sla-restart");
        var first = await AwaitHumanApp.StartAsync(connectionString);
        string id;
        RoutedTenant routed;
        try
        {
            routed = await RoutedTenant.StartAsync(first, operators: 1, policy: new
            {
                name = "Slow",
                first_response_seconds = 10,
                steps = new object[] { new { after_seconds = 8, action = "time_out" } },
            });
            id = await routed.OpenAsync();
            await routed.WhenAsync(id, "sla_applied");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Down for longer than the step's wait: the durable timer fires once a node runs again.
        var (_, dueAt) = await DurableTimers.MakeNextDueAsync(connectionString, nameof(SlaCheckpoint), Guid.Parse(id));
        dueAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        await using var second = await AwaitHumanApp.StartAsync(connectionString, DurableTimers.PollPromptly);
        var agent = second.CreateHttpClient(routed.Tenant.ApiKey);
        var outcome = await Eventually.GetAsync(async () =>
        {
            var escalation = await agent.GetEscalationAsync(id);
            return escalation.GetProperty("status").GetString() == "timed_out" ? new[] { escalation } : null;
        }, TimeSpan.FromSeconds(40), "the ladder's timeout after the restart");
        outcome[0].GetProperty("hand_back").GetProperty("outcome").GetString().ShouldBe("no_operator_available");
    }

    [Fact]
    public async Task Bad_policies_are_refused_naming_the_fields()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);
        using var response = await admin.PostAsJsonAsync("/v1/sla-policies", new
        {
            name = "x",
            first_response_seconds = 5,
            steps = new object[] { new { after_seconds = 10, action = "time_out" }, new { after_seconds = 5, action = "widen" }, new { after_seconds = 20, action = "panic", colour = "red" } },
        }, Ct);
        await response.ShouldBeInvalidAsync("first_response_seconds", "steps[0].action", "steps[1].after_seconds", "steps[1].team", "steps[2].action", "steps[2].colour");
    }
}
