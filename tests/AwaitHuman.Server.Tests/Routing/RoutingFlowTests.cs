using System.Net;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Routing;

public class RoutingFlowTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string[] Whats(JsonElement details) =>
        [.. details.GetProperty("routing").GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("what").GetString()!)];

    static string WhyOf(JsonElement details, string what) =>
        details.GetProperty("routing").GetProperty("decisions").EnumerateArray().First(d => d.GetProperty("what").GetString() == what).GetProperty("why").GetString()!;

    [Fact]
    public async Task An_opened_escalation_is_routed_by_its_rule_and_assigned_with_the_reason_recorded()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        await routed.OnlineAsync(1);
        var id = await routed.OpenAsync();

        var details = await routed.WhenAsync(id, "assigned");
        Whats(details).ShouldBe(["routed", "priority_changed", "assigned", "customer_acknowledged"]);
        WhyOf(details, "routed").ShouldBe("routed by rule 1 (refunds) v1: reason=refund_dispute");
        WhyOf(details, "assigned").ShouldContain($"round robin in Billing: {routed.Operators[1].Email} had 0 of 2");
        details.GetProperty("status").GetString().ShouldBe("with_human");
        details.GetProperty("priority").GetString().ShouldBe("urgent");
        details.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(routed.Operators[1].PersonId.ToString());
        details.GetProperty("routing").GetProperty("team_id").GetString().ShouldBe(routed.TeamId);

        using var inbox = await routed.Agent.GetAsync($"/v1/escalations?team={routed.TeamId}", Ct);
        var row = (await inbox.JsonAsync()).GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        row.GetProperty("team_name").GetString().ShouldBe("Billing");
        (await (await routed.Agent.GetAsync($"/v1/escalations?team={Guid.NewGuid()}", Ct)).JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);

        // The agent's view of the escalation does not show the tenant's internal routing.
        (await routed.Agent.GetEscalationAsync(id)).GetProperty("routing").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_escalation_is_assigned_in_the_transaction_that_opens_it()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        await routed.OnlineAsync(0);
        var request = EscalationScenarios.SampleRequest();
        request["reason"] = "refund_dispute";

        var opened = await routed.Agent.OpenEscalationAsync(request);
        opened.GetProperty("status").GetString().ShouldBe("with_human");

        // Read at once, without waiting: the owner committed with the escalation.
        var details = await routed.Admin.GetEscalationAsync(opened.GetProperty("id").GetString()!);
        Whats(details).ShouldBe(["routed", "priority_changed", "assigned", "customer_acknowledged"]);
        details.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(routed.Operators[0].PersonId.ToString());
    }

    [Fact]
    public async Task When_everyone_with_room_is_being_decided_for_the_opening_does_not_wait_and_routing_follows_its_commit()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        await routed.OnlineAsync(0);
        // Another decision holding the only operator: their assignment lock, held by this connection.
        await using var connection = _app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(Ct);
        var key = $"awaithuman-assignment:{routed.Tenant.TenantId}:{routed.Operators[0].PersonId}";
        await using (var hold = new Npgsql.NpgsqlCommand("select pg_advisory_lock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = key } } })
            await hold.ExecuteNonQueryAsync(Ct);

        var request = EscalationScenarios.SampleRequest();
        request["reason"] = "refund_dispute";
        var opened = await routed.Agent.OpenEscalationAsync(request);
        opened.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        var id = opened.GetProperty("id").GetString()!;
        Whats(await routed.Admin.GetEscalationAsync(id)).ShouldBeEmpty();

        await using (var release = new Npgsql.NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = key } } })
            await release.ExecuteNonQueryAsync(Ct);
        var details = await routed.WhenAsync(id, "assigned");
        Whats(details).ShouldBe(["routed", "priority_changed", "assigned", "customer_acknowledged"]);
        details.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(routed.Operators[0].PersonId.ToString());
    }

    [Fact]
    public async Task Nobody_online_queues_with_position_and_the_first_to_come_online_gets_the_oldest()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        var first = await routed.OpenAsync();
        var second = await routed.OpenAsync();
        await routed.WhenAsync(first, "queued");
        var queued = await routed.WhenAsync(second, "queued");
        WhyOf(queued, "queued").ShouldContain("nobody in Billing can take it now: 1 not online");
        var queue = queued.GetProperty("routing").GetProperty("queue");
        queue.GetProperty("position").GetInt32().ShouldBe(2);
        queue.GetProperty("estimated_wait_seconds").GetInt32().ShouldBe(1200);
        var ack = (await routed.WhenAsync(second, "customer_acknowledged"));
        WhyOf(ack, "customer_acknowledged").ShouldContain("expect a reply by");

        await routed.OnlineAsync(0);
        var assigned = await routed.WhenAsync(first, "assigned");
        WhyOf(assigned, "assigned").ShouldContain(routed.Operators[0].Email);
        // Capacity 2: the second one follows.
        await routed.WhenAsync(second, "assigned");
    }

    [Fact]
    public async Task Capacity_is_never_exceeded_when_many_escalations_arrive_at_once()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 3);
        for (var i = 0; i < 3; i++) await routed.OnlineAsync(i);
        var ids = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => routed.OpenAsync()));
        var routedOnes = await Task.WhenAll(ids.Select(id => routed.WhenAsync(id, "routed", 60)));
        foreach (var id in ids) await Eventually.HappensAsync(async () =>
        {
            var whats = Whats(await routed.Admin.GetEscalationAsync(id));
            return whats.Contains("assigned") || whats.Contains("queued");
        }, TimeSpan.FromSeconds(60), $"a decision for {id}");

        var owners = new List<string>();
        foreach (var id in ids)
        {
            var details = await routed.Admin.GetEscalationAsync(id);
            if (details.GetProperty("status").GetString() == "with_human") owners.Add(details.GetProperty("owner").GetProperty("person_id").GetString()!);
        }
        owners.Count.ShouldBe(6);
        owners.GroupBy(o => o).ShouldAllBe(g => g.Count() == 2);
    }

    [Fact]
    public async Task A_channels_own_capacity_queues_the_next_escalation_on_it_while_other_channels_still_come()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        await routed.SendOkAsync(HttpMethod.Put, $"/v1/teams/{routed.TeamId}/members/{routed.Operators[0].PersonId}",
            new { capacity = 5, channel_capacity = new Dictionary<string, int> { ["sms"] = 1 } });
        await routed.OnlineAsync(0);

        var firstSms = await routed.OpenAsync(channel: "sms");
        await routed.WhenAsync(firstSms, "assigned");
        var secondSms = await routed.OpenAsync(channel: "sms");
        WhyOf(await routed.WhenAsync(secondSms, "queued"), "queued").ShouldContain("1 at capacity");
        var onAgent = await routed.OpenAsync();
        WhyOf(await routed.WhenAsync(onAgent, "assigned"), "assigned").ShouldContain("had 1 of 5");
    }

    [Fact]
    public async Task An_offer_is_accepted_only_by_its_operator_and_a_decline_passes_it_on()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2, team: new { name = "Billing", assignment = "offer", offer_seconds = 60 });
        await routed.OnlineAsync(0);
        await routed.OnlineAsync(1);
        var id = await routed.OpenAsync();
        var offered = await routed.WhenAsync(id, "offered");
        var to = offered.GetProperty("routing").GetProperty("offer").GetProperty("operator").GetProperty("id").GetString();
        var (mine, other) = to == routed.Operators[0].PersonId.ToString() ? (0, 1) : (1, 0);
        offered.GetProperty("status").GetString().ShouldBe("waiting_for_human");

        using var wrong = await routed.OperatorClient(other).ActAsync(id, "accept");
        (await wrong.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("not offered to you");
        await routed.OperatorClient(mine).ActOkAsync(id, "decline");

        var second = await Eventually.GetAsync(async () =>
        {
            var details = await routed.Admin.GetEscalationAsync(id);
            return details.GetProperty("routing").GetProperty("offer") is { ValueKind: JsonValueKind.Object } offer
                && offer.GetProperty("operator").GetProperty("id").GetString() == routed.Operators[other].PersonId.ToString() ? new[] { details } : null;
        }, TimeSpan.FromSeconds(20), "the offer to the other operator");
        WhyOf(second[0], "offer_withdrawn").ShouldContain("declined");

        var accepted = await routed.OperatorClient(other).ActOkAsync(id, "accept");
        accepted.GetProperty("status").GetString().ShouldBe("with_human");
        accepted.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(routed.Operators[other].PersonId.ToString());
    }

    [Fact]
    public async Task Two_operators_claiming_at_once_exactly_one_wins()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "queued");
        var results = await Task.WhenAll(routed.OperatorClient(0).ActAsync(id, "claim"), routed.OperatorClient(1).ActAsync(id, "claim"));
        results.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        results.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(1);
    }

    [Fact]
    public async Task A_transfer_to_a_person_gives_them_ownership_and_says_who_and_why()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        await routed.OnlineAsync(0);
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "assigned");
        var moved = await routed.OperatorClient(0).ActOkAsync(id, "transfer", new { operator_id = routed.Operators[1].PersonId, note = "speaks German" });
        moved.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(routed.Operators[1].PersonId.ToString());
        WhyOf(moved, "transferred").ShouldBe($"transferred by {routed.Operators[0].Email} to {routed.Operators[1].Email}: speaks German");

        using var nowhere = await routed.OperatorClient(1).ActAsync(id, "transfer", new { team_id = Guid.NewGuid() });
        await nowhere.ShouldBeInvalidAsync("team_id");
    }

    [Fact]
    public async Task Going_offline_hands_routed_work_to_a_colleague()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        await routed.OnlineAsync(0);
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "assigned");
        await routed.OnlineAsync(1);
        await routed.OnlineAsync(0, "offline");
        var details = await routed.WhenAsync(id, "unassigned");
        await Eventually.HappensAsync(async () =>
            (await routed.Admin.GetEscalationAsync(id)).GetProperty("owner").GetProperty("person_id").GetString() == routed.Operators[1].PersonId.ToString(),
            TimeSpan.FromSeconds(20), "the colleague owning it");
        WhyOf(details, "unassigned").ShouldContain("went offline");
    }
}
