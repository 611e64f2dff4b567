using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests;

/// <summary>What the console's tests start from: a tenant with an agent's escalation in it.</summary>
public static class ConsoleScenarios
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A customer named for the test (so a glance at a screenshot tells whose it is) who wrote on WhatsApp minutes ago.</summary>
    public static JsonObject WhatsAppRequest(string customerName)
    {
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["name"] = customerName;
        request["customer"]!["phone"] = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        request["customer"]!["preferred_channel"] = "whatsapp";
        // The agent talked with them on WhatsApp just now: its 24-hour window is open.
        var recently = DateTimeOffset.UtcNow.AddMinutes(-5);
        request["transcript"]![0]!["at"] = recently.ToString("O");
        request["transcript"]![1]!["at"] = recently.AddSeconds(5).ToString("O");
        return request;
    }

    /// <summary>Opens an escalation as the tenant's agent (API key) and returns its id.</summary>
    public static async Task<string> OpenEscalationAsync(this AwaitHumanApp app, TestTenantAccount tenant, string customerName)
    {
        using var agent = app.CreateHttpClient(tenant.ApiKey);
        return (await agent.OpenEscalationAsync(WhatsAppRequest(customerName))).GetProperty("id").GetString()!;
    }

    /// <summary>Opens an escalation from <paramref name="request"/> as the tenant's agent (API key) and returns its id.</summary>
    public static async Task<string> OpenEscalationAsync(this AwaitHumanApp app, TestTenantAccount tenant, JsonObject request)
    {
        using var agent = app.CreateHttpClient(tenant.ApiKey);
        return (await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
    }

    /// <summary>The escalation as the agent sees it (API key): what the hand-back and the agent's view hold.</summary>
    public static async Task<JsonElement> AgentViewAsync(this AwaitHumanApp app, TestTenantAccount tenant, string id)
    {
        using var agent = app.CreateHttpClient(tenant.ApiKey);
        return await agent.GetEscalationAsync(id);
    }

    /// <summary>Claims the escalation for <paramref name="member"/> over the API, so a test starts from an owned escalation.</summary>
    public static async Task ClaimAsync(this AwaitHumanApp app, TestMember member, string id)
    {
        using var human = app.CreateHttpClient(member.Token);
        await human.ActOkAsync(id, "claim");
    }

    /// <summary>The link to the simulated customer's phone for this escalation, as an operator asks for it.</summary>
    public static async Task<string> SandboxDeviceUrlAsync(this AwaitHumanApp app, TestMember member, string escalationId, string channel)
    {
        using var human = app.CreateHttpClient(member.Token);
        using var response = await human.GetAsync($"/v1/escalations/{escalationId}/sandbox-device?channel={channel}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("url").GetString()!;
    }

    /// <summary>Registers the fake agent for <paramref name="eventType"/> and returns the endpoint's signing secret.</summary>
    public static async Task<string> RegisterWebhookAsync(this AwaitHumanApp app, TestTenantAccount tenant, string url, string eventType)
    {
        using var owner = app.CreateHttpClient(tenant.ApiKey);
        using var response = await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url, event_types = new[] { eventType } }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("secret").GetString()!;
    }

    /// <summary>Unique enough to find in a list, readable in a screenshot.</summary>
    public static string CustomerName(string first) => $"{first} {Guid.NewGuid().ToString("N")[..6]}";
}
