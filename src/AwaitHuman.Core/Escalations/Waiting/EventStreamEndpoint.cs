using System.Text;
using System.Text.Json;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Escalations.Waiting;

/// <summary>
/// The escalation's events as Server-Sent Events. Each event's <c>id</c> is its stream version, so a
/// client that reconnects with <c>Last-Event-ID</c> gets exactly what it missed, from the event store.
/// </summary>
public static class EventStreamEndpoint
{
    static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    [WolverineGet("/v1/escalations/{id}/events", OperationId = "StreamEscalationEvents")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Escalations")]
    [EndpointSummary("Streams the escalation's events as Server-Sent Events; reconnect with Last-Event-ID to resume")]
    [Produces("text/event-stream")]
    public static async Task Stream(Guid id, IQuerySession session, EscalationSignals signals, HttpContext context)
    {
        var caller = Caller.Of(context);
        // The stream ends when the client goes, or at once when this node shuts down: clients reconnect
        // with Last-Event-ID (to another node) rather than hold up a rolling deploy.
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, signals.NodeStopping);
        var ct = streaming.Token;
        var lastHeader = context.Request.Headers["Last-Event-ID"].ToString();
        long last = 0;
        if (lastHeader.Length > 0 && (!long.TryParse(lastHeader, out last) || last < 0))
        {
            await Problems.Invalid("Last-Event-ID", "The Last-Event-ID is the id of an event this stream sent (a whole number).").ExecuteAsync(context);
            return;
        }

        using var watch = signals.Watch(caller.TenantId, id);
        if (await session.Events.FetchStreamStateAsync(id, ct) is null)
        {
            await Problems.NotFound("escalation").ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold events back in their buffers.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync("retry: 2000\n\n", ct);
        await context.Response.Body.FlushAsync(ct);

        try
        {
            while (!ct.IsCancellationRequested)
            {
                var events = await session.Events.FetchStreamAsync(id, fromVersion: last + 1, token: ct);
                var text = new StringBuilder();
                foreach (var e in events)
                {
                    last = e.Version;
                    if (EscalationFeed.Describe(e) is not { } described) continue;
                    text.Append("id: ").Append(described.Version).Append('\n')
                        .Append("event: ").Append(described.Type).Append('\n')
                        .Append("data: ").Append(JsonSerializer.Serialize(described.Data, described.Data.GetType(), EscalationFeed.Json)).Append("\n\n");
                }
                if (text.Length == 0 && !await watch.ChangedAsync(KeepAlive, ct)) text.Append(": keep-alive\n\n");
                if (text.Length == 0) continue;
                await context.Response.WriteAsync(text.ToString(), ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away, or the node is stopping; that is how an event stream ends.
        }
    }
}
