using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Teams;

public class TeamEndpointTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_team_keeps_members_with_skills_capacity_and_business_hours()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);
        var ada = await _app.NewMemberAsync(tenant, "operator");
        var bob = await _app.NewMemberAsync(tenant, "supervisor");
        using var created = await admin.PostAsJsonAsync("/v1/teams", new
        {
            name = "Billing",
            strategy = "least_loaded",
            assignment = "offer",
            offer_seconds = 30,
            business_hours = new { time_zone = "Europe/Berlin", weekly = new[] { new { day = "monday", opens = "09:00", closes = "17:00" } }, holidays = new[] { "2026-12-25" } },
            members = new object[] { new { person_id = ada.PersonId, skills = new { refunds = 4 }, capacity = 3, channel_capacity = new { whatsapp = 1 } } },
        }, Ct);
        var team = await created.JsonAsync();
        created.StatusCode.ShouldBe(HttpStatusCode.Created, team.ToString());
        var id = team.GetProperty("id").GetString()!;
        team.GetProperty("strategy").GetString().ShouldBe("least_loaded");
        team.GetProperty("members")[0].GetProperty("skills").GetProperty("refunds").GetInt32().ShouldBe(4);

        using var set = await admin.PutAsJsonAsync($"/v1/teams/{id}/members/{bob.PersonId}", new { capacity = 2, supervisor = true }, Ct);
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
        (await admin.DeleteAsync($"/v1/teams/{id}/members/{ada.PersonId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var stored = await (await admin.GetAsync($"/v1/teams/{id}", Ct)).JsonAsync();
        stored.GetProperty("members").GetArrayLength().ShouldBe(1);
        stored.GetProperty("members")[0].GetProperty("supervisor").GetBoolean().ShouldBeTrue();
        stored.GetProperty("business_hours").GetProperty("time_zone").GetString().ShouldBe("Europe/Berlin");
        stored.GetProperty("version").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task Bad_teams_are_refused_naming_the_fields()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);
        var stranger = await _app.NewMemberAsync(await _app.NewTenantAsync(), "operator");
        using var response = await admin.PostAsJsonAsync("/v1/teams", new
        {
            name = "",
            strategy = "random",
            business_hours = new { time_zone = "Nowhere/Land", weekly = new[] { new { day = "monday", opens = "17:00", closes = "09:00" } } },
            members = new object[] { new { person_id = stranger.PersonId, capacity = 500, skills = new { refunds = 9 } } },
        }, Ct);
        await response.ShouldBeInvalidAsync("name", "strategy", "business_hours.time_zone", "business_hours.weekly[0].closes",
            "members[0].capacity", "members[0].skills", "members[0].person_id");
        (await admin.ListAllAsync("/v1/teams")).Length.ShouldBe(0);
    }
}
