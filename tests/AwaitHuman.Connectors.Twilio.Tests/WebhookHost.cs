using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Connectors.Twilio.Tests;

/// <summary>The core's inbox as the webhooks see it: known connections, and what was handed over.</summary>
public sealed class RecordingInbox : IChannelInbox
{
    public ConcurrentDictionary<Guid, ChannelConnection> Connections { get; } = new();
    public ConcurrentQueue<InboundMessage> Messages { get; } = new();
    public ConcurrentQueue<DeliveryReport> Reports { get; } = new();

    public Task<ChannelConnection?> FindConnectionAsync(string provider, Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(provider == "twilio" && Connections.TryGetValue(connectionId, out var connection) ? connection : null);

    public Task<InboundResult> ReceiveAsync(ChannelConnection connection, InboundMessage message, CancellationToken cancellationToken)
    {
        Messages.Enqueue(message);
        return Task.FromResult(InboundResult.Accepted);
    }

    public Task<InboundResult> ReportAsync(ChannelConnection connection, DeliveryReport report, CancellationToken cancellationToken)
    {
        Reports.Enqueue(report);
        return Task.FromResult(InboundResult.Accepted);
    }
}

/// <summary>
/// The plug-in's webhooks on real Kestrel at 127.0.0.1, behind the forwarded headers middleware
/// as the server runs it (trusting the loopback proxy), with a recording inbox.
/// </summary>
public sealed class WebhookHost : IAsyncDisposable
{
    readonly WebApplication _app;

    WebhookHost(WebApplication app, RecordingInbox inbox, Uri baseUrl)
    {
        _app = app;
        Inbox = inbox;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public RecordingInbox Inbox { get; }
    public Uri BaseUrl { get; }
    public HttpClient Http { get; }

    public static async Task<WebhookHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var inbox = new RecordingInbox();
        builder.Services.AddSingleton<IChannelInbox>(inbox);
        builder.Services.AddProblemDetails();
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);
        new TwilioPlugin().AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        app.UseForwardedHeaders();
        new TwilioPlugin().MapEndpoints(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookHost(app, inbox, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
