using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Routing;

/// <summary>GET /v1/teams/{id}/availability: who is online, away or offline and what each holds; and what deleting a team does to its queue.</summary>
public class TeamAvailabilityTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_team_s_members_show_their_presence_and_what_they_hold_against_their_capacity()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        await routed.OnlineAsync(0);
        await routed.OnlineAsync(1, "away");
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "assigned");

        using var response = await routed.Admin.GetAsync($"/v1/teams/{routed.TeamId}/availability", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var members = (await response.JsonAsync()).EnumerateArray().ToDictionary(m => m.GetProperty("person_id").GetGuid());
        var working = members[routed.Operators[0].PersonId];
        working.GetProperty("email").GetString().ShouldBe(routed.Operators[0].Email);
        working.GetProperty("presence").GetString().ShouldBe("online");
        working.GetProperty("held").GetInt32().ShouldBe(1);
        working.GetProperty("capacity").GetInt32().ShouldBe(2);
        members[routed.Operators[1].PersonId].GetProperty("presence").GetString().ShouldBe("away");
        members[routed.Operators[1].PersonId].GetProperty("held").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Operators_are_refused_and_another_tenant_s_team_is_not_found()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        var other = await RoutedTenant.StartAsync(_app, operators: 1);

        await (await routed.OperatorClient(0).GetAsync($"/v1/teams/{routed.TeamId}/availability", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await routed.Admin.GetAsync($"/v1/teams/{other.TeamId}/availability", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await routed.Admin.GetAsync($"/v1/teams/{Guid.NewGuid()}/availability", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_deleted_team_s_queue_stays_open_without_a_team_and_an_owned_escalation_stays_with_its_owner()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        await routed.OnlineAsync(0);
        var owned = await routed.OpenAsync();
        await routed.WhenAsync(owned, "assigned");
        await routed.OnlineAsync(0, "away");
        var queued = await routed.OpenAsync();
        await routed.WhenAsync(queued, "queued");

        using var refused = await routed.Admin.DeleteAsync($"/v1/teams/{routed.TeamId}", Ct);
        (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("routing rules name this team");
        await routed.SendOkAsync(HttpMethod.Put, "/v1/routing-rules", new { rules = Array.Empty<object>() });
        using var deleted = await routed.Admin.DeleteAsync($"/v1/teams/{routed.TeamId}", Ct);

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent, await deleted.Content.ReadAsStringAsync(Ct));
        (await routed.Admin.GetAsync($"/v1/teams/{routed.TeamId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var waiting = await routed.Admin.GetEscalationAsync(queued);
        waiting.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        var kept = await routed.Admin.GetEscalationAsync(owned);
        kept.GetProperty("status").GetString().ShouldBe("with_human");
        kept.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(routed.Operators[0].PersonId.ToString());
        using var unassigned = await routed.Admin.GetAsync("/v1/escalations?status=waiting_for_human", Ct);
        (await unassigned.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldContain(queued);
    }
}
