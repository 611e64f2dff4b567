using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Escalations;

public class OpenEscalationTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Escalation streams of the tenant, counted in the event store itself.</summary>
    internal static Task<long> EscalationsOfAsync(TestTenantAccount tenant) => Sql.ScalarAsync<long>(TestPostgres.ConnectionString,
        $"select count(*) from awaithuman.mt_events where tenant_id = '{tenant.TenantId}' and type = 'escalation_opened'");

    [Fact]
    public async Task Opening_answers_201_with_the_id_status_creation_time_resume_token_and_location()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await agent.PostAsJsonAsync("/v1/escalations", EscalationScenarios.SampleRequest("question"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetString()!;
        response.Headers.Location!.ToString().ShouldBe($"/v1/escalations/{id}");
        body.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        body.GetProperty("kind").GetString().ShouldBe("question");
        body.GetProperty("created_at").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        body.GetProperty("resume_token").GetString()!.ShouldStartWith("rt_");

        var details = await agent.GetEscalationAsync(id);
        details.GetProperty("question").GetString().ShouldBe("May we waive the late fee for this customer?");
        details.GetProperty("customer").GetProperty("preferred_channel").GetString().ShouldBe("agent");
        details.GetProperty("version").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_returns_the_first_response_and_makes_nothing_new()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest();

        var first = await agent.OpenEscalationAsync(request, "retry-1");
        var again = await agent.OpenEscalationAsync(request, "retry-1");

        again.ToString().ShouldBe(first.ToString());
        (await EscalationsOfAsync(tenant)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_refused_with_422()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        await agent.OpenEscalationAsync(EscalationScenarios.SampleRequest(externalRef: "a"), "key-1");

        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/escalations") { Content = JsonContent.Create(EscalationScenarios.SampleRequest(externalRef: "b")) };
        message.Headers.Add("Idempotency-Key", "key-1");
        using var response = await agent.SendAsync(message, Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString()!.ShouldContain("different request body");
        (await EscalationsOfAsync(tenant)).ShouldBe(1);
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_one_tenant()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var request = EscalationScenarios.SampleRequest();

        var a = await _app.CreateHttpClient(first.ApiKey).OpenEscalationAsync(request, "shared-key");
        var b = await _app.CreateHttpClient(second.ApiKey).OpenEscalationAsync(request, "shared-key");

        b.GetProperty("id").GetString().ShouldNotBe(a.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_make_one_escalation()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/escalations") { Content = JsonContent.Create(request) };
            message.Headers.Add("Idempotency-Key", "burst");
            using var response = await agent.SendAsync(message, Ct);
            return (response.StatusCode, Id: response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString() : null);
        }));

        // A retry that races the first request waits for it and gets its response; none makes a second escalation.
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        responses.Select(r => r.Id).Distinct().Count().ShouldBe(1);
        (await EscalationsOfAsync(tenant)).ShouldBe(1);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_every_wrong_field_and_stores_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest("approval");
        request["kind"] = "approval";
        request["reason"] = "Not A Code!";
        request["confidence"] = 1.5;
        request["priority"] = "asap";
        request["customer"] = new JsonObject { ["email"] = "nope", ["phone"] = "555-1234", ["preferred_channel"] = "pigeon" };
        request["transcript"] = new JsonArray(new JsonObject { ["role"] = "operator", ["content"] = "" });
        request["action"] = new JsonObject { ["name"] = "", ["arguments"] = new JsonArray() };
        request["metadata"] = "not an object";
        request["deadline_seconds"] = 1;

        using var response = await agent.PostAsJsonAsync("/v1/escalations", request, Ct);
        await response.ShouldBeInvalidAsync("reason", "confidence", "priority", "customer.email", "customer.phone", "customer.preferred_channel",
            "transcript[0].role", "transcript[0].content", "action.name", "action.arguments", "metadata", "deadline_seconds");
        (await EscalationsOfAsync(tenant)).ShouldBe(0);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task A_confidence_that_is_no_finite_number_is_a_400_and_stores_nothing(string confidence)
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest();
        // JSON has no NaN: clients send the text, which the web defaults would read as the number.
        request["confidence"] = confidence;

        using var response = await agent.PostAsJsonAsync("/v1/escalations", request, Ct);

        await response.ShouldBeInvalidAsync("confidence");
        (await EscalationsOfAsync(tenant)).ShouldBe(0);
    }

    [Theory]
    [InlineData("question", "question")]
    [InlineData("approval", "action")]
    public async Task Each_kind_needs_its_own_field(string kind, string field)
    {
        var tenant = await _app.NewTenantAsync();
        var request = EscalationScenarios.SampleRequest("handoff");
        request["kind"] = kind;

        using var response = await _app.CreateHttpClient(tenant.ApiKey).PostAsJsonAsync("/v1/escalations", request, Ct);
        await response.ShouldBeInvalidAsync(field);
    }

    [Fact]
    public async Task Missing_kind_and_reason_are_named()
    {
        var tenant = await _app.NewTenantAsync();
        using var response = await _app.CreateHttpClient(tenant.ApiKey).PostAsJsonAsync("/v1/escalations", new { summary = "?" }, Ct);
        await response.ShouldBeInvalidAsync("kind", "reason");
    }

    [Fact]
    public async Task A_transcript_over_the_documented_limit_is_refused()
    {
        var tenant = await _app.NewTenantAsync();
        var request = EscalationScenarios.SampleRequest();
        request["transcript"] = new JsonArray(Enumerable.Range(0, 501).Select(i => (JsonNode)new JsonObject { ["role"] = "customer", ["content"] = $"line {i}" }).ToArray());

        using var response = await _app.CreateHttpClient(tenant.ApiKey).PostAsJsonAsync("/v1/escalations", request, Ct);
        (await response.ShouldBeInvalidAsync("transcript")).GetProperty("errors").GetProperty("transcript")[0].GetString()!.ShouldContain("500");
        (await EscalationsOfAsync(tenant)).ShouldBe(0);
    }

    [Fact]
    public async Task A_body_over_1_MB_is_refused_with_413_and_stores_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var request = EscalationScenarios.SampleRequest();
        request["summary"] = new string('x', 1024 * 1024);

        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _app.CreateHttpClient(tenant.ApiKey).PostAsync("/v1/escalations", content, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await EscalationsOfAsync(tenant)).ShouldBe(0);
    }

    [Fact]
    public async Task Malformed_json_is_a_400()
    {
        var tenant = await _app.NewTenantAsync();
        using var content = new StringContent("{\"kind\": ", Encoding.UTF8, "application/json");
        using var response = await _app.CreateHttpClient(tenant.ApiKey).PostAsync("/v1/escalations", content, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_key_without_the_write_scope_cannot_open()
    {
        var tenant = await _app.NewTenantAsync();
        var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var created = await owner.PostAsJsonAsync("/v1/api-keys", new { name = "reader", scopes = new[] { "escalations:read" } }, Ct);
        var reader = _app.CreateHttpClient((await created.JsonAsync()).GetProperty("key").GetString()!);

        using var response = await reader.PostAsJsonAsync("/v1/escalations", EscalationScenarios.SampleRequest(), Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("escalations:write");
    }
}

public class IdempotencyKeyRetentionTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task Keys_are_kept_for_a_week_and_then_forgotten()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest();
        await agent.OpenEscalationAsync(request, "fresh");
        await agent.OpenEscalationAsync(request, "old");
        await using (var session = _app.Store.LightweightSession(tenant.TenantId))
        {
            var old = await session.LoadAsync<IdempotentResponse>("old", TestContext.Current.CancellationToken);
            old!.CreatedAt = DateTimeOffset.UtcNow.AddDays(-8);
            session.Store(old);
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var retention = _app.Services.GetRequiredService<IdempotencyKeyRetention>();
        (await retention.PurgeAllTenantsAsync(TestContext.Current.CancellationToken)).ShouldBeGreaterThanOrEqualTo(1);

        // The forgotten key makes a new escalation; the kept one still replays.
        var replayed = await agent.OpenEscalationAsync(request, "fresh");
        var reused = await agent.OpenEscalationAsync(request, "old");
        reused.GetProperty("id").GetString().ShouldNotBe(replayed.GetProperty("id").GetString());
        (await OpenEscalationTests.EscalationsOfAsync(tenant)).ShouldBe(3);
    }
}
