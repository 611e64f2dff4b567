using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Webhooks;

public class WebhookEndpointsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string AgentUrl = "http://127.0.0.1:9/hooks";

    static async Task<JsonElement> CreateAsync(HttpClient caller, object request)
    {
        using var response = await caller.PostAsJsonAsync("/v1/webhook-endpoints", request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        response.Headers.Location!.ToString().ShouldBe($"/v1/webhook-endpoints/{(await response.JsonAsync()).GetProperty("id").GetString()}");
        return await response.JsonAsync();
    }

    static async Task<(string Text, JsonElement[] Items)> ListAsync(HttpClient caller)
    {
        using var response = await caller.GetAsync("/v1/webhook-endpoints", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (text, JsonDocument.Parse(text).RootElement.Items());
    }

    static async Task<JsonElement> GetAsync(HttpClient caller, string id)
    {
        using var response = await caller.GetAsync($"/v1/webhook-endpoints/{id}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    static string[] EventTypesOf(JsonElement endpoint) => [.. endpoint.GetProperty("event_types").EnumerateArray().Select(type => type.GetString()!)];

    [Fact]
    public async Task A_new_endpoint_shows_its_whsec_secret_once_and_stores_it_only_encrypted()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        var created = await CreateAsync(owner, new { url = AgentUrl, event_types = new[] { "escalation.resolved", "escalation.cancelled" }, description = "support bot" });

        var secret = created.GetProperty("secret").GetString()!;
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBe(32);
        created.GetProperty("url").GetString().ShouldBe(AgentUrl);
        created.GetProperty("status").GetString().ShouldBe("enabled");
        created.GetProperty("secret_hint").GetString().ShouldBe(secret[..10] + "...");
        EventTypesOf(created).ShouldBe(["escalation.resolved", "escalation.cancelled"]);

        var id = created.GetProperty("id").GetString()!;
        var shown = await GetAsync(owner, id);
        shown.TryGetProperty("secret", out _).ShouldBeFalse();
        shown.GetProperty("description").GetString().ShouldBe("support bot");
        shown.GetProperty("created_by").GetProperty("kind").GetString().ShouldBe("api_key");
        var (list, items) = await ListAsync(owner);
        items.Single().GetProperty("id").GetString().ShouldBe(id);
        var randomPart = secret["whsec_".Length..];
        list.ShouldNotContain(randomPart);
        shown.ToString().ShouldNotContain(randomPart);

        var document = await Sql.ScalarAsync<string>(TestPostgres.ConnectionString, $"select data::text from awaithuman.mt_doc_webhookendpoint where id = '{id}'");
        var events = await Sql.QueryAsync(TestPostgres.ConnectionString, $"select data::text from awaithuman.mt_events where stream_id = '{id}'", row => row.GetString(0));
        document.ShouldNotContain(randomPart);
        events.ShouldNotBeEmpty();
        events.ShouldAllBe(data => !data.Contains(randomPart));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_each_wrong_field_and_stores_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        async Task ShouldBeRefused(object request, params string[] fields)
        {
            using var response = await owner.PostAsJsonAsync("/v1/webhook-endpoints", request, Ct);
            await response.ShouldBeInvalidAsync(fields);
        }

        await ShouldBeRefused(new { }, "url", "event_types");
        await ShouldBeRefused(new { url = "not a url", event_types = new[] { "escalation.nope" }, description = new string('x', 501) }, "url", "event_types", "description");
        await ShouldBeRefused(new { url = "ftp://agent.example/hooks", event_types = Array.Empty<string>() }, "url", "event_types");
        await ShouldBeRefused(new { url = "https://user:password@agent.example/hooks", event_types = new[] { "*" } }, "url");
        await ShouldBeRefused(new { url = AgentUrl, event_types = new[] { "escalation.opened", "webhook.test" } }, "event_types");
        using (var unknown = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url = AgentUrl, event_types = new[] { "escalation.nope" } }, Ct))
        {
            var problem = await unknown.ShouldBeInvalidAsync("event_types");
            var message = problem.GetProperty("errors").GetProperty("event_types")[0].GetString()!;
            message.ShouldContain("'escalation.nope'");
            message.ShouldContain("escalation.resolved");
        }

        (await ListAsync(owner)).Items.ShouldBeEmpty();
        var events = await Sql.ScalarAsync<long>(TestPostgres.ConnectionString,
            $"select count(*) from awaithuman.mt_events where tenant_id = '{tenant.TenantId}' and type like 'webhook%'");
        events.ShouldBe(0);
    }

    [Fact]
    public async Task An_update_changes_only_the_fields_it_names_and_a_bad_one_changes_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await CreateAsync(owner, new { url = AgentUrl, event_types = new[] { "escalation.resolved" } })).GetProperty("id").GetString()!;

        using (var described = await owner.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { description = "billing bot" }, Ct))
        {
            described.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await described.JsonAsync();
            body.GetProperty("description").GetString().ShouldBe("billing bot");
            body.GetProperty("url").GetString().ShouldBe(AgentUrl);
            EventTypesOf(body).ShouldBe(["escalation.resolved"]);
        }

        using (var everything = await owner.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { url = "http://127.0.0.1:10/other", event_types = new[] { "escalation.opened", "*" } }, Ct))
        {
            var body = await everything.JsonAsync();
            body.GetProperty("url").GetString().ShouldBe("http://127.0.0.1:10/other");
            EventTypesOf(body).ShouldBe(["*"]);
            body.GetProperty("description").GetString().ShouldBe("billing bot");
        }

        using (var bad = await owner.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { url = "nowhere", event_types = Array.Empty<string>(), description = "changed" }, Ct))
            await bad.ShouldBeInvalidAsync("url", "event_types");

        var unchanged = await GetAsync(owner, id);
        unchanged.GetProperty("url").GetString().ShouldBe("http://127.0.0.1:10/other");
        unchanged.GetProperty("description").GetString().ShouldBe("billing bot");
        EventTypesOf(unchanged).ShouldBe(["*"]);
    }

    [Fact]
    public async Task Rotating_shows_a_new_secret_once_and_keeps_the_old_one_for_a_day_by_default()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var created = await CreateAsync(owner, new { url = AgentUrl, event_types = new[] { "*" } });
        var id = created.GetProperty("id").GetString()!;

        using var response = await owner.PostAsync($"/v1/webhook-endpoints/{id}/rotate-secret", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var rotated = await response.JsonAsync();
        var secret = rotated.GetProperty("secret").GetString()!;
        secret.ShouldStartWith("whsec_");
        secret.ShouldNotBe(created.GetProperty("secret").GetString());
        var expires = rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        (expires - DateTimeOffset.UtcNow).ShouldBeInRange(TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        var shown = await GetAsync(owner, id);
        shown.GetProperty("secret_hint").GetString().ShouldBe(secret[..10] + "...");
        shown.ToString().ShouldNotContain(secret["whsec_".Length..]);

        using var tooLong = await owner.PostAsJsonAsync($"/v1/webhook-endpoints/{id}/rotate-secret", new { overlap_seconds = 8 * 24 * 3600 }, Ct);
        await tooLong.ShouldBeInvalidAsync("overlap_seconds");
        (await GetAsync(owner, id)).GetProperty("secret_hint").GetString().ShouldBe(secret[..10] + "...");
    }

    [Fact]
    public async Task Disabling_enabling_and_deleting_are_recorded_in_the_audit_trail()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await CreateAsync(owner, new { url = AgentUrl, event_types = new[] { "*" } })).GetProperty("id").GetString()!;

        using (var disabled = await owner.PostAsJsonAsync($"/v1/webhook-endpoints/{id}/disable", new { reason = "agent under maintenance" }, Ct))
        {
            var body = await disabled.JsonAsync();
            body.GetProperty("status").GetString().ShouldBe("disabled");
            body.GetProperty("disabled_reason").GetString().ShouldBe("agent under maintenance");
        }
        using (var enabled = await owner.PostAsync($"/v1/webhook-endpoints/{id}/enable", null, Ct))
        {
            var body = await enabled.JsonAsync();
            body.GetProperty("status").GetString().ShouldBe("enabled");
            body.GetProperty("disabled_reason").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        using (var deleted = await owner.DeleteAsync($"/v1/webhook-endpoints/{id}", Ct))
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await owner.GetAsync($"/v1/webhook-endpoints/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ListAsync(owner)).Items.ShouldBeEmpty();
        var audit = await (await owner.GetAsync("/v1/audit", Ct)).JsonAsync();
        var actions = audit.GetProperty("items").EnumerateArray().Select(entry => entry.GetProperty("action").GetString()).ToArray();
        actions.ShouldContain("webhook_endpoint.created");
        actions.ShouldContain("webhook_endpoint.disabled");
        actions.ShouldContain("webhook_endpoint.enabled");
        actions.ShouldContain("webhook_endpoint.deleted");
    }

    [Fact]
    public async Task Another_tenants_endpoints_and_deliveries_answer_404_everywhere()
    {
        var mine = await _app.NewTenantAsync();
        var theirs = await _app.NewTenantAsync();
        using var me = _app.CreateHttpClient(mine.ApiKey);
        using var them = _app.CreateHttpClient(theirs.ApiKey);
        using var agent = new FakeAgent();
        var myId = (await CreateAsync(me, new { url = agent.Url, event_types = new[] { "*" } })).GetProperty("id").GetString()!;
        var theirId = (await CreateAsync(them, new { url = agent.Url, event_types = new[] { "*" } })).GetProperty("id").GetString()!;
        using var test = await them.PostAsync($"/v1/webhook-endpoints/{theirId}/test", null, Ct);
        var theirDelivery = (await test.JsonAsync()).GetProperty("delivery_id").GetString()!;
        await agent.ReceivedAsync(1);

        HttpRequestMessage[] requests =
        [
            new(HttpMethod.Get, $"/v1/webhook-endpoints/{theirId}"),
            new(HttpMethod.Patch, $"/v1/webhook-endpoints/{theirId}") { Content = JsonContent.Create(new { description = "mine now" }) },
            new(HttpMethod.Delete, $"/v1/webhook-endpoints/{theirId}"),
            new(HttpMethod.Post, $"/v1/webhook-endpoints/{theirId}/rotate-secret"),
            new(HttpMethod.Post, $"/v1/webhook-endpoints/{theirId}/disable"),
            new(HttpMethod.Post, $"/v1/webhook-endpoints/{theirId}/enable"),
            new(HttpMethod.Post, $"/v1/webhook-endpoints/{theirId}/test"),
            new(HttpMethod.Get, $"/v1/webhook-endpoints/{theirId}/deliveries"),
            new(HttpMethod.Post, $"/v1/webhook-endpoints/{theirId}/deliveries/{theirDelivery}/redeliver"),
            new(HttpMethod.Post, $"/v1/webhook-endpoints/{myId}/deliveries/{theirDelivery}/redeliver"),
        ];
        foreach (var request in requests)
        {
            using var response = await me.SendAsync(request, Ct);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        (await ListAsync(me)).Items.Select(item => item.GetProperty("id").GetString()).ShouldBe([myId]);
        var theirs404Free = await GetAsync(them, theirId);
        theirs404Free.GetProperty("status").GetString().ShouldBe("enabled");
        theirs404Free.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
        agent.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Only_callers_with_the_webhooks_scope_manage_endpoints()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var keyResponse = await owner.PostAsJsonAsync("/v1/api-keys", new { name = "reader", scopes = new[] { "escalations:read", "escalations:write" } }, Ct);
        var agentKey = (await keyResponse.JsonAsync()).GetProperty("key").GetString()!;
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");

        foreach (var bearer in new[] { agentKey, operatorMember.Token })
        {
            using var caller = _app.CreateHttpClient(bearer);
            (await caller.GetAsync("/v1/webhook-endpoints", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await caller.PostAsJsonAsync("/v1/webhook-endpoints", new { url = AgentUrl, event_types = new[] { "*" } }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await ListAsync(owner)).Items.ShouldBeEmpty();
    }
}
