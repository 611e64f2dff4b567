using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.CannedReplies;

/// <summary>/v1/canned-replies: who sees and changes which replies, their rules, and that tenants never see each other's.</summary>
public sealed class CannedReplyEndpointsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static object Reply(string title, string shortcut, string text = "Hello {customer.name}, {operator.name} here.", Guid? teamId = null) =>
        new { title, shortcut, text, team_id = teamId };

    async Task<Guid> TeamAsync(TestTenantAccount tenant, string name, params TestMember[] members)
    {
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var client = _app.CreateHttpClient(admin.Token);
        using var created = await client.PostAsJsonAsync("/v1/teams", new { name, members = members.Select(m => new { person_id = m.PersonId }).ToArray() }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (await created.JsonAsync()).GetProperty("id").GetGuid();
    }

    static async Task<JsonElement> CreatedAsync(HttpClient client, object reply)
    {
        using var response = await client.PostAsJsonAsync("/v1/canned-replies", reply, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    static async Task<string[]> TitlesAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync($"/v1/canned-replies{query}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var page = await response.JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("title").GetString()!)];
    }

    [Fact]
    public async Task An_admin_creates_reads_changes_and_deletes_a_reply()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var client = _app.CreateHttpClient(admin.Token);

        var created = await CreatedAsync(client, Reply("Refund sent", "refund-sent"));
        var id = created.GetProperty("id").GetGuid();
        created.GetProperty("shortcut").GetString().ShouldBe("refund-sent");
        created.GetProperty("team_id").ValueKind.ShouldBe(JsonValueKind.Null);
        created.GetProperty("created_by").GetString().ShouldBe(admin.Email);

        using var list = await client.GetAsync("/v1/canned-replies", Ct);
        var page = await list.JsonAsync();
        page.GetProperty("items").GetArrayLength().ShouldBe(1);
        page.GetProperty("next_cursor").ValueKind.ShouldBe(JsonValueKind.Null);

        using var replaced = await client.PutAsJsonAsync($"/v1/canned-replies/{id}", Reply("Refund on its way", "refund", "Your refund is on its way, {customer.name}."), Ct);
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK, await replaced.Content.ReadAsStringAsync(Ct));
        var read = await (await client.GetAsync($"/v1/canned-replies/{id}", Ct)).JsonAsync();
        read.GetProperty("title").GetString().ShouldBe("Refund on its way");
        read.GetProperty("shortcut").GetString().ShouldBe("refund");
        read.GetProperty("text").GetString().ShouldBe("Your refund is on its way, {customer.name}.");
        read.GetProperty("updated_by").GetString().ShouldBe(admin.Email);

        (await client.DeleteAsync($"/v1/canned-replies/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/v1/canned-replies/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await TitlesAsync(client)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_fields_are_named_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        await (await owner.PostAsJsonAsync("/v1/canned-replies", new { title = "", shortcut = "", text = "" }, Ct)).ShouldBeInvalidAsync("title", "shortcut", "text");
        await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply(new string('t', 81), "ok"), Ct)).ShouldBeInvalidAsync("title");
        await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Title", "Has Space"), Ct)).ShouldBeInvalidAsync("shortcut");
        await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Title", "-dash-first"), Ct)).ShouldBeInvalidAsync("shortcut");
        await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Title", "x"), Ct)).ShouldBeInvalidAsync("shortcut");
        var unknown = await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Title", "ok", "Hi {customer.nmae}"), Ct)).ShouldBeInvalidAsync("text");
        unknown.GetProperty("errors").GetProperty("text")[0].GetString()!.ShouldContain("{customer.nmae}");
        await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Title", "ok", new string('a', 4001)), Ct)).ShouldBeInvalidAsync("text");
        await (await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Title", "ok", teamId: Guid.NewGuid()), Ct)).ShouldBeInvalidAsync("team_id");

        (await TitlesAsync(owner)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_shortcut_is_unique_within_its_scope_but_may_repeat_in_another()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var team = await TeamAsync(tenant, "Billing");
        await CreatedAsync(owner, Reply("Greeting", "hello"));

        using var again = await owner.PostAsJsonAsync("/v1/canned-replies", Reply("Another greeting", "hello"), Ct);
        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("field").GetString().ShouldBe("shortcut");

        var teams = await CreatedAsync(owner, Reply("Team greeting", "hello", teamId: team));
        using var moved = await owner.PutAsJsonAsync($"/v1/canned-replies/{teams.GetProperty("id").GetGuid()}", Reply("Team greeting", "hello"), Ct);
        (await moved.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("field").GetString().ShouldBe("shortcut");

        (await TitlesAsync(owner)).ShouldBe(["Greeting", "Team greeting"]);
        (await TitlesAsync(owner, $"?team_id={team}")).ShouldBe(["Team greeting"]);
    }

    [Fact]
    public async Task Operators_use_the_tenant_s_and_their_teams_replies_and_change_none()
    {
        var tenant = await _app.NewTenantAsync();
        var ada = await _app.NewMemberAsync(tenant, "operator");
        var mine = await TeamAsync(tenant, "Mine", ada);
        var theirs = await TeamAsync(tenant, "Theirs");
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        await CreatedAsync(owner, Reply("Everyone's", "everyone"));
        await CreatedAsync(owner, Reply("My team's", "mine", teamId: mine));
        var hidden = await CreatedAsync(owner, Reply("Their team's", "theirs", teamId: theirs));
        using var operatorClient = _app.CreateHttpClient(ada.Token);

        (await TitlesAsync(operatorClient)).ShouldBe(["Everyone's", "My team's"]);
        await (await operatorClient.GetAsync($"/v1/canned-replies/{hidden.GetProperty("id").GetGuid()}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var refused = await (await operatorClient.PostAsJsonAsync("/v1/canned-replies", Reply("Mine now", "mine-now", teamId: mine), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString()!.ShouldContain("canned_replies:manage");
        (await TitlesAsync(owner)).Length.ShouldBe(3);
    }

    [Fact]
    public async Task A_supervisor_manages_their_teams_replies_only()
    {
        var tenant = await _app.NewTenantAsync();
        var sam = await _app.NewMemberAsync(tenant, "supervisor");
        var mine = await TeamAsync(tenant, "Mine", sam);
        var theirs = await TeamAsync(tenant, "Theirs");
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var everyone = await CreatedAsync(owner, Reply("Everyone's", "everyone"));
        var other = await CreatedAsync(owner, Reply("Their team's", "theirs", teamId: theirs));
        using var supervisor = _app.CreateHttpClient(sam.Token);

        var created = await CreatedAsync(supervisor, Reply("My team's", "mine", teamId: mine));
        using (var changed = await supervisor.PutAsJsonAsync($"/v1/canned-replies/{created.GetProperty("id").GetGuid()}", Reply("My team's, changed", "mine", teamId: mine), Ct))
            changed.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await (await supervisor.PostAsJsonAsync("/v1/canned-replies", Reply("For all", "for-all"), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString()!.ShouldContain("admins");
        await (await supervisor.PostAsJsonAsync("/v1/canned-replies", Reply("For them", "for-them", teamId: theirs), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var everyoneId = everyone.GetProperty("id").GetGuid();
        await (await supervisor.PutAsJsonAsync($"/v1/canned-replies/{everyoneId}", Reply("Hijacked", "everyone"), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await supervisor.DeleteAsync($"/v1/canned-replies/{everyoneId}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        // Moving their team's reply to the whole tenant is a change to the tenant's replies.
        await (await supervisor.PutAsJsonAsync($"/v1/canned-replies/{created.GetProperty("id").GetGuid()}", Reply("Promoted", "mine"), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await supervisor.DeleteAsync($"/v1/canned-replies/{other.GetProperty("id").GetGuid()}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await TitlesAsync(owner)).ShouldBe(["Everyone's", "My team's, changed", "Their team's"]);
    }

    [Fact]
    public async Task Another_tenant_s_replies_are_never_found()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var stranger = _app.CreateHttpClient(other.ApiKey);
        var secret = await CreatedAsync(owner, Reply("Secret wording", "secret"));
        var id = secret.GetProperty("id").GetGuid();

        (await TitlesAsync(stranger)).ShouldBeEmpty();
        await (await stranger.GetAsync($"/v1/canned-replies/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync($"/v1/canned-replies/{id}", Reply("Taken over", "secret"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.DeleteAsync($"/v1/canned-replies/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        // The same shortcut in another tenant is no clash.
        await CreatedAsync(stranger, Reply("Their own", "secret"));

        (await TitlesAsync(owner)).ShouldBe(["Secret wording"]);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_and_bad_paging_is_named()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        foreach (var title in new[] { "Alpha", "Bravo", "Charlie" }) await CreatedAsync(owner, Reply(title, title.ToLowerInvariant()));

        var titles = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await owner.GetAsync($"/v1/canned-replies?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", Ct)).JsonAsync();
            titles.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("title").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        titles.ShouldBe(["Alpha", "Bravo", "Charlie"]);

        await (await owner.GetAsync("/v1/canned-replies?limit=0", Ct)).ShouldBeInvalidAsync("limit");
        await (await owner.GetAsync("/v1/canned-replies?cursor=-3", Ct)).ShouldBeInvalidAsync("cursor");
    }
}
