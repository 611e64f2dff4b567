using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>The HTTP side of opening and waiting, which the MCP tools share with the API.</summary>
public class OpeningAndWaitingTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_first_escalation_and_refuses_another_body()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest();
        var key = $"retry-{Guid.NewGuid():N}";

        var first = await agent.OpenEscalationAsync(request, key);
        using (var again = await Send(agent, request, key))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.Created);
            again.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
            (await again.JsonAsync()).GetProperty("id").GetString().ShouldBe(first.GetProperty("id").GetString());
        }

        var other = EscalationScenarios.SampleRequest();
        other["reason"] = "another_reason";
        using (var reused = await Send(agent, other, key))
            (await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString()!.ShouldContain("Idempotency-Key");

        using (var badKey = await Send(agent, request, new string('k', 256)))
            await badKey.ShouldBeInvalidAsync("Idempotency-Key");

        (await CountAsync(agent, request["external_ref"]!.GetValue<string>())).ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_fields_are_named_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var request = EscalationScenarios.SampleRequest("question");
        request["question"] = null;
        request["deadline_seconds"] = 5;
        ((JsonObject)request["customer"]!)["email"] = "not-an-address";

        using var response = await Send(agent, request, $"bad-{Guid.NewGuid():N}");
        await response.ShouldBeInvalidAsync("question", "deadline_seconds", "customer.email");
        (await CountAsync(agent, request["external_ref"]!.GetValue<string>())).ShouldBe(0);
    }

    [Fact]
    public async Task Waiting_by_resume_token_returns_the_hand_back_once_a_human_answers()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var opened = await agent.OpenEscalationAsync(EscalationScenarios.SampleRequest("question"));
        var id = opened.GetProperty("id").GetString()!;
        var token = opened.GetProperty("resume_token").GetString()!;

        using (var early = await agent.GetAsync($"/v1/escalations/wait?resume_token={Uri.EscapeDataString(token)}&timeout_seconds=0", Ct))
        {
            var view = await early.JsonAsync();
            view.GetProperty("status").GetString().ShouldBe("waiting_for_human");
            view.GetProperty("hand_back").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        }

        var waiting = agent.GetAsync($"/v1/escalations/wait?resume_token={Uri.EscapeDataString(token)}&timeout_seconds=30", Ct);
        await human.ActOkAsync(id, "resolve", new { outcome = "answered", resolution = new { summary = "Yes, waive it once." } });
        using var answered = await waiting;
        var handBack = (await answered.JsonAsync()).GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("answered");
        handBack.GetProperty("resolution").GetProperty("summary").GetString().ShouldBe("Yes, waive it once.");

        var stranger = _app.CreateHttpClient((await _app.NewTenantAsync()).ApiKey);
        using var foreign = await stranger.GetAsync($"/v1/escalations/wait?resume_token={Uri.EscapeDataString(token)}&timeout_seconds=0", Ct);
        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var badTimeout = await agent.GetAsync($"/v1/escalations/{id}/wait?timeout_seconds=61", Ct);
        await badTimeout.ShouldBeInvalidAsync("timeout_seconds");
    }

    static Task<HttpResponseMessage> Send(HttpClient agent, JsonObject request, string key)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/v1/escalations") { Content = JsonContent.Create(request) };
        message.Headers.Add("Idempotency-Key", key);
        return agent.SendAsync(message, Ct);
    }

    static async Task<int> CountAsync(HttpClient agent, string externalRef)
    {
        using var response = await agent.GetAsync($"/v1/escalations?external_ref={Uri.EscapeDataString(externalRef)}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        return body.GetProperty("items").GetArrayLength();
    }
}
