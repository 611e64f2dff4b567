using System.Net.Http.Headers;
using System.Text.Json;
using AwaitHuman.Client.WebChat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Connectors.WebChat.Tests.Api;

/// <summary>The plug-in on real Kestrel (loopback), over <see cref="FakeCore"/>, as the server would host it.</summary>
public sealed class WebChatApi : IAsyncLifetime
{
    public const string Secret = "a-signing-secret-of-at-least-32-characters";

    WebApplication? _app;

    public FakeCore Core { get; } = new();

    /// <summary>The Last-Event-ID of every event stream opened, in order ("" when none was sent).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> StreamsOpened { get; } = new();
    public Uri Address { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection([new("Connectors:WebChat:KeepAlive", "00:00:01")]);
        builder.Services.AddSingleton<IChannelInbox>(Core);
        builder.Services.AddSingleton<IConversationFeed>(Core);
        var plugin = new WebChatPlugin();
        plugin.AddServices(builder.Services, builder.Configuration);
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            if (context.Request.Path.Value?.EndsWith("/events") == true) StreamsOpened.Enqueue(context.Request.Headers["Last-Event-ID"].ToString());
            return next(context);
        });
        plugin.MapEndpoints(_app);
        await _app.StartAsync();
        Address = new Uri(_app.Urls.Single());
    }

    /// <summary>A tenant with a web chat connection and an escalation of conversation <paramref name="conversation"/>.</summary>
    public (ChannelConnection Connection, Guid Escalation) NewChat(string conversation = "order-1234", string? tenant = null)
    {
        tenant ??= $"tenant-{Guid.NewGuid():N}";
        return (Core.AddConnection(tenant, Secret), Core.OpenEscalation(tenant, conversation));
    }

    public static string Token(ChannelConnection connection, string conversation = "order-1234", string visitor = "visitor-42", string secret = Secret) =>
        WebChatSessionTokens.Create(secret, connection.Id, visitor, conversation, "Ada", TimeSpan.FromHours(1));

    public HttpClient Client(string? token, string? origin = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (origin is not null) client.DefaultRequestHeaders.Add("Origin", origin);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

public sealed record ServerSentEvent(string? Id, string Type, JsonElement Data);

/// <summary>Reads Server-Sent Events off an open response, as the widget does.</summary>
public sealed class EventReader(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public HttpResponseMessage Response => response;

    public static async Task<EventReader> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return new EventReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)));
    }

    /// <summary>The next event of one of <paramref name="types"/> (others are skipped), or a failure after <paramref name="within"/>.</summary>
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

    /// <summary>The next <paramref name="count"/> message events.</summary>
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
