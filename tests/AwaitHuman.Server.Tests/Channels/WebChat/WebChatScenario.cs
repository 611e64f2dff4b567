using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Client.WebChat;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Channels.WebChat;

/// <summary>
/// A tenant with a web chat connection, an escalation the agent opened for conversation
/// <see cref="Conversation"/> (customer prefers web chat), an operator who claimed it, and the
/// visitor's session token.
/// </summary>
public sealed record WebChatScenario(
    TestTenantAccount Tenant, HttpClient Agent, HttpClient Operator, Guid ConnectionId, string Conversation, string EscalationId, string Token)
{
    public const string Secret = "a-signing-secret-of-at-least-32-characters";
    public const string AllowedOrigin = "https://shop.example.com";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<WebChatScenario> StartAsync(AwaitHumanApp app, string allowedOrigins = AllowedOrigin, string? conversation = null)
    {
        var tenant = await app.NewTenantAsync();
        var agent = app.CreateHttpClient(tenant.ApiKey);
        using var created = await agent.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "webchat",
            name = "Website chat",
            settings = new Dictionary<string, string> { ["allowed_origins"] = allowedOrigins },
            secrets = new Dictionary<string, string> { ["signing_secret"] = Secret },
        }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var connectionId = (await created.JsonAsync()).GetProperty("id").GetGuid();

        conversation ??= $"conv-{Guid.NewGuid():N}";
        var request = EscalationScenarios.SampleRequest(externalRef: conversation);
        request["customer"]!["preferred_channel"] = "webchat";
        var escalationId = (await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
        var human = app.CreateHttpClient((await app.NewMemberAsync(tenant, "operator")).Token);
        await human.ActOkAsync(escalationId, "claim");

        var token = WebChatSessionTokens.Create(Secret, connectionId, "visitor-42", conversation, "Ada Lovelace", TimeSpan.FromHours(1));
        return new WebChatScenario(tenant, agent, human, connectionId, conversation, escalationId, token);
    }

    public string Path(string rest) => $"/connectors/webchat/{ConnectionId}/{rest}";

    /// <summary>The visitor's browser talking to <paramref name="app"/>: the session token, and the page's origin when given.</summary>
    public HttpClient Visitor(AwaitHumanApp app, string? token = null, string? origin = null)
    {
        var client = app.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        if (origin is not null) client.DefaultRequestHeaders.Add("Origin", origin);
        return client;
    }

    /// <summary>The customer's messages in the escalation's transcript, as the operator sees them.</summary>
    public async Task<List<string>> CustomerLinesAsync()
    {
        var escalation = await Operator.GetEscalationAsync(EscalationId);
        return [.. escalation.GetProperty("transcript").EnumerateArray()
            .Where(entry => entry.GetProperty("role").GetString() == "customer")
            .Select(entry => entry.GetProperty("content").GetString()!)];
    }

    /// <summary>
    /// Replies on web chat and waits until the send was recorded: the delivery handler appends to the
    /// escalation too, and an operator action racing it is refused with 409 (the core does not retry it).
    /// </summary>
    public async Task ReplyAsync(string text, HttpClient? from = null)
    {
        await (from ?? Operator).ActOkAsync(EscalationId, "reply", new { content = text, channel = "webchat" });
        await Eventually.HappensAsync(async () =>
            (await Operator.GetEscalationAsync(EscalationId)).GetProperty("deliveries").EnumerateArray()
                .All(delivery => delivery.GetProperty("state").GetString() != "pending"),
            TimeSpan.FromSeconds(10), "the reply's send to be recorded");
    }
}

public sealed record ServerSentEvent(string? Id, string Type, JsonElement Data);

/// <summary>Reads the widget's Server-Sent Events off an open response.</summary>
public sealed class EventReader(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public HttpResponseMessage Response => response;

    public static async Task<EventReader> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return new EventReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)));
    }

    /// <summary>The next event of one of <paramref name="types"/> (others skipped); throws when none comes within <paramref name="within"/>.</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan? within = null, params string[] types)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(10));
        string? id = null, type = null, data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ")) id = line[4..];
            else if (line.StartsWith("event: ")) type = line[7..];
            else if (line.StartsWith("data: ")) data = line[6..];
            else if (line.Length == 0 && data is not null)
            {
                var next = new ServerSentEvent(id, type ?? "message", JsonDocument.Parse(data).RootElement.Clone());
                if (types.Length == 0 || types.Contains(next.Type)) return next;
                id = type = data = null;
            }
        }
        throw new InvalidOperationException("The event stream ended.");
    }

    public async Task<List<ServerSentEvent>> MessagesAsync(int count)
    {
        var messages = new List<ServerSentEvent>();
        while (messages.Count < count) messages.Add(await NextAsync(null, "message"));
        return messages;
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
