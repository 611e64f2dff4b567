using System.Net;
using System.Text.Json;
using AwaitHuman.Server.Tests.Routing;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Members;

/// <summary>Removing a member gives back what they held, as events on each escalation, and takes them out of their teams.</summary>
public class MemberRemovalTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string? OwnerOf(JsonElement details) =>
        details.GetProperty("owner").ValueKind == JsonValueKind.Object && details.GetProperty("owner").TryGetProperty("person_id", out var id) ? id.GetString() : null;

    [Fact]
    public async Task A_removed_member_s_escalations_go_back_to_the_queue_and_to_a_colleague_and_they_leave_the_team()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        var leaving = routed.Operators[0];
        await routed.OnlineAsync(0);
        var routedToThem = await routed.OpenAsync();
        await routed.WhenAsync(routedToThem, "assigned");
        // One no rule routes, claimed by hand: it goes back too, since they can no longer act on it.
        var claimedByHand = await routed.OpenAsync(reason: "something_else");
        using (var claim = await routed.OperatorClient(0).PostAsync($"/v1/escalations/{claimedByHand}/claim", null, Ct))
            claim.StatusCode.ShouldBe(HttpStatusCode.OK, await claim.Content.ReadAsStringAsync(Ct));
        await routed.OnlineAsync(1);

        using var removal = await routed.Admin.DeleteAsync($"/v1/members/{leaving.MembershipId}", Ct);

        removal.StatusCode.ShouldBe(HttpStatusCode.NoContent, await removal.Content.ReadAsStringAsync(Ct));
        var details = await routed.WhenAsync(routedToThem, "unassigned");
        details.GetProperty("routing").GetProperty("decisions").EnumerateArray()
            .First(d => d.GetProperty("what").GetString() == "unassigned").GetProperty("why").GetString()!
            .ShouldContain($"{leaving.Email} was removed from the tenant");
        await Eventually.HappensAsync(async () => OwnerOf(await routed.Admin.GetEscalationAsync(routedToThem)) == routed.Operators[1].PersonId.ToString(),
            TimeSpan.FromSeconds(20), "the colleague owning the routed escalation");
        await Eventually.HappensAsync(async () =>
        {
            var other = await routed.Admin.GetEscalationAsync(claimedByHand);
            return other.GetProperty("status").GetString() == "waiting_for_human" && OwnerOf(other) is null;
        }, TimeSpan.FromSeconds(20), "the hand-claimed escalation back in the queue");

        var team = await (await routed.Admin.GetAsync($"/v1/teams/{routed.TeamId}", Ct)).JsonAsync();
        team.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("person_id").GetString())
            .ShouldBe([routed.Operators[1].PersonId.ToString()]);
    }

    [Fact]
    public async Task Another_tenant_s_member_cannot_be_removed_nor_changed_and_stays()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        var other = await _app.NewTenantAsync();
        var stranger = await _app.NewMemberAsync(other, "operator");

        await (await routed.Admin.DeleteAsync($"/v1/members/{stranger.MembershipId}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var change = await routed.Admin.PatchAsync($"/v1/members/{stranger.MembershipId}",
            new StringContent("""{"role": "admin"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        await change.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var theirs = _app.CreateHttpClient(stranger.Token);
        using var me = await theirs.GetAsync("/v1/me", Ct);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await me.JsonAsync()).GetProperty("role").GetString().ShouldBe("operator");
    }
}
