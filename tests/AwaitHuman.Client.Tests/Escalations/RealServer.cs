using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Client.Tests.Escalations;

/// <summary>
/// The real server and its PostgreSQL, shared by the tests that talk to it. A collection fixture,
/// not an assembly one, so the unit tests of this assembly run without starting a server.
/// </summary>
public sealed class ClientTestsHost : AwaitHumanHost;

[CollectionDefinition(nameof(RealServer))]
public sealed class RealServer : ICollectionFixture<ClientTestsHost>;

/// <summary>Agents as the SDK makes them, against the real server.</summary>
public static class RealAgents
{
    /// <summary>An agent's client registered the way an application registers it; dispose the provider to "stop the agent".</summary>
    public static ServiceProvider AgentServices(this AwaitHumanApp app, string apiKey, Action<IHttpClientBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddAwaitHumanClient(options =>
        {
            options.BaseAddress = app.Address;
            options.ApiKey = apiKey;
            options.RetryDelay = TimeSpan.FromMilliseconds(50);
        });
        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    public static AwaitHumanClient Agent(this AwaitHumanApp app, string apiKey, Action<AwaitHumanClientOptions>? configure = null)
    {
        var options = new AwaitHumanClientOptions { BaseAddress = app.Address, ApiKey = apiKey, RetryDelay = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        return new AwaitHumanClient(app.CreateHttpClient(), options);
    }

    public static EscalationRequest Handoff(string? externalRef = null) => new()
    {
        Kind = EscalationKind.Handoff,
        Reason = "refund_dispute",
        Summary = "Customer disputes a double charge of 49.90 EUR on order 1042.",
        Confidence = 0.42,
        Priority = EscalationPriority.High,
        ExternalRef = externalRef ?? $"conv-{Guid.NewGuid():N}",
        Customer = new Customer { Name = "Ada Lovelace", Email = "ada@example.com", PreferredChannel = CustomerChannel.Agent, Locale = "en-GB" },
        Transcript =
        [
            new TranscriptEntry { Role = MessageRole.Customer, Content = "I was charged twice for order 1042." },
            new TranscriptEntry { Role = MessageRole.Agent, Content = "I see two charges. Let me get a colleague." },
        ],
        Agent = new AgentInfo
        {
            Name = "support-bot",
            Version = "3.1.0",
            Trace = [new ToolCall { Tool = "lookup_order", Input = new System.Text.Json.Nodes.JsonObject { ["order"] = 1042 }, Output = new System.Text.Json.Nodes.JsonObject { ["charges"] = 2 } }],
        },
        Metadata = new System.Text.Json.Nodes.JsonObject { ["tier"] = "gold" },
    };
}
