using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Connectors.SendGrid.Tests.Webhooks;

/// <summary>The plug-in's webhooks on a real Kestrel on 127.0.0.1, with an inbox that records what it is handed.</summary>
public sealed class WebhookHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookHost(WebApplication app, RecordingInbox inbox, string url)
    {
        this.app = app;
        Inbox = inbox;
        Client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public RecordingInbox Inbox { get; }
    public HttpClient Client { get; }

    public static async Task<WebhookHost> StartAsync(FixedTime time, params ChannelConnection[] connections)
    {
        var url = $"http://127.0.0.1:{TestConnections.FreeLoopbackPort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var inbox = new RecordingInbox(connections);
        builder.Services.AddSingleton<IChannelInbox>(inbox);
        builder.Services.AddSingleton<TimeProvider>(time);
        var plugin = new SendGridPlugin();
        plugin.AddServices(builder.Services, new ConfigurationBuilder().Build());
        var app = builder.Build();
        plugin.MapEndpoints(app);
        await app.StartAsync();
        return new WebhookHost(app, inbox, url);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public sealed class RecordingInbox(IEnumerable<ChannelConnection> connections) : IChannelInbox
{
    private readonly Dictionary<Guid, ChannelConnection> known = connections.ToDictionary(c => c.Id);
    private readonly ConcurrentDictionary<string, bool> seen = new();

    public ConcurrentQueue<InboundMessage> Received { get; } = new();
    public ConcurrentQueue<DeliveryReport> Reports { get; } = new();

    public Task<ChannelConnection?> FindConnectionAsync(string provider, Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(known.TryGetValue(connectionId, out var c) && c.Provider == provider ? c : null);

    public Task<InboundResult> ReceiveAsync(ChannelConnection connection, InboundMessage message, CancellationToken cancellationToken)
    {
        if (!seen.TryAdd("m:" + message.ProviderMessageId, true))
            return Task.FromResult(InboundResult.Duplicate);
        Received.Enqueue(message);
        return Task.FromResult(InboundResult.Accepted);
    }

    public Task<InboundResult> ReportAsync(ChannelConnection connection, DeliveryReport report, CancellationToken cancellationToken)
    {
        if (!seen.TryAdd("e:" + report.ProviderEventId, true))
            return Task.FromResult(InboundResult.Duplicate);
        Reports.Enqueue(report);
        return Task.FromResult(InboundResult.Accepted);
    }
}
