using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace AwaitHuman.Testing;

/// <summary>Escalations opened and worked over HTTP, the way agents and operators do it.</summary>
public static class EscalationScenarios
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A realistic request body of <paramref name="kind"/>; tests change what they need.</summary>
    public static JsonObject SampleRequest(string kind = "handoff", string? externalRef = null) => new()
    {
        ["kind"] = kind,
        ["reason"] = "refund_dispute",
        ["summary"] = "Customer disputes a double charge of 49.90 EUR on order 1042.",
        ["confidence"] = 0.42,
        ["priority"] = "high",
        ["external_ref"] = externalRef ?? $"conv-{Guid.NewGuid():N}",
        ["customer"] = new JsonObject { ["name"] = "Ada Lovelace", ["email"] = "ada@example.com", ["phone"] = "+14155550123", ["preferred_channel"] = "agent", ["locale"] = "en-GB" },
        ["transcript"] = new JsonArray(
            new JsonObject { ["role"] = "customer", ["content"] = "I was charged twice for order 1042.", ["at"] = "2026-11-24T09:00:00Z" },
            new JsonObject { ["role"] = "agent", ["content"] = "I see two charges. Let me get a colleague.", ["at"] = "2026-11-24T09:00:05Z" }),
        ["agent"] = new JsonObject { ["name"] = "support-bot", ["version"] = "3.1.0", ["trace"] = new JsonArray(new JsonObject { ["tool"] = "lookup_order", ["input"] = new JsonObject { ["order"] = 1042 }, ["output"] = new JsonObject { ["charges"] = 2 } }) },
        ["question"] = kind == "question" ? "May we waive the late fee for this customer?" : null,
        ["action"] = kind == "approval" ? new JsonObject { ["name"] = "issue_refund", ["arguments"] = new JsonObject { ["order"] = 1042, ["amount"] = 49.90 } } : null,
        ["metadata"] = new JsonObject { ["tier"] = "gold" },
    };

    /// <summary>Opens an escalation and returns the 201 body (id, status, created_at, resume_token).</summary>
    public static async Task<JsonElement> OpenEscalationAsync(this HttpClient agent, JsonObject? request = null, string? idempotencyKey = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/escalations") { Content = JsonContent.Create(request ?? SampleRequest()) };
        if (idempotencyKey is not null) message.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await agent.SendAsync(message, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> GetEscalationAsync(this HttpClient caller, string id)
    {
        using var response = await caller.GetAsync($"/v1/escalations/{id}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    /// <summary>Posts to an escalation action (<c>claim</c>, <c>reply</c>, ...) and returns the response for the test to judge.</summary>
    public static Task<HttpResponseMessage> ActAsync(this HttpClient caller, string id, string action, object? body = null) =>
        caller.PostAsJsonAsync($"/v1/escalations/{id}/{action}", body ?? new { }, Ct);

    /// <summary>Posts an action that must succeed and returns the escalation as it now is.</summary>
    public static async Task<JsonElement> ActOkAsync(this HttpClient caller, string id, string action, object? body = null)
    {
        using var response = await caller.ActAsync(id, action, body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }
}
