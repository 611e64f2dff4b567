using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.WebChat;

/// <summary>
/// The conversation as Server-Sent Events: <c>message</c> (id = the message's position, so a
/// reconnect with <c>Last-Event-ID</c> replays exactly what was missed), <c>typing</c> (the
/// operator is typing; no id) and <c>status</c> (the escalation, its status and operator; sent first). Changes made
/// on another node arrive through the feed's cross-node signal.
/// </summary>
static class EventStream
{
    public static async Task Stream(HttpContext context, string connection)
    {
        var (visit, refusal) = await WebChatEndpoints.AdmitAsync(context, connection);
        if (visit is null)
        {
            await refusal!.ExecuteAsync(context);
            return;
        }
        var resumeFrom = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } lastEventId
            ? lastEventId
            : context.Request.Query["after"].ToString();
        var last = 0;
        if (resumeFrom.Length > 0 && (!int.TryParse(resumeFrom, out last) || last < 0))
        {
            await Results.ValidationProblem(
                new Dictionary<string, string[]> { ["Last-Event-ID"] = ["Last-Event-ID (or after) is the position of the last message seen (a whole number)."] },
                title: "The request has invalid fields.").ExecuteAsync(context);
            return;
        }
        if (await WebChatEndpoints.EscalationOfAsync(context, visit) is not { } escalation)
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "No conversation with that id exists here.").ExecuteAsync(context);
            return;
        }
        // Positions count within one escalation: when the agent escalated the conversation anew
        // since the widget last saw it (?escalation= names that one), the new one is sent whole.
        if (Guid.TryParse(context.Request.Query["escalation"], out var seen) && seen != escalation) last = 0;

        var feed = context.RequestServices.GetRequiredService<IConversationFeed>();
        var keepAlive = context.RequestServices.GetRequiredService<IOptions<WebChatOptions>>().Value.KeepAlive;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var ct = stop.Token;

        // Watching starts before the first read, so a change between the two is not lost.
        var signals = Channel.CreateUnbounded<ConversationSignal>(new UnboundedChannelOptions { SingleReader = true });
        var watching = WatchAsync(feed, visit.TenantId, escalation, signals.Writer, ct);

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold events back in their buffers.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync("retry: 2000\n\n", ct);
        await context.Response.Body.FlushAsync(ct);

        string? status = null, operatorName = null;
        try
        {
            var read = true;
            while (!ct.IsCancellationRequested)
            {
                var text = new StringBuilder();
                if (read)
                {
                    var conversation = await feed.ReadAsync(visit.TenantId, escalation, last, ct);
                    if (conversation is null) break;
                    if (conversation.Status != status || conversation.OperatorName != operatorName)
                    {
                        (status, operatorName) = (conversation.Status, conversation.OperatorName);
                        Append(text, null, "status", new { escalation_id = escalation, status, operator_name = operatorName });
                    }
                    foreach (var message in conversation.Messages.Where(m => m.Position > last).OrderBy(m => m.Position))
                    {
                        Append(text, message.Position.ToString(), "message", MessageView.Of(message));
                        last = message.Position;
                    }
                }

                if (text.Length > 0)
                {
                    await context.Response.WriteAsync(text.ToString(), ct);
                    await context.Response.Body.FlushAsync(ct);
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(keepAlive);
                ConversationSignal signal;
                try
                {
                    signal = await signals.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Idle: keep proxies from closing the stream, and read again in case a signal was lost.
                    await context.Response.WriteAsync(": keep-alive\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    read = true;
                    continue;
                }
                catch (ChannelClosedException)
                {
                    break;
                }

                if (signal is ConversationSignal.Typing typing)
                {
                    read = false;
                    // The customer's own typing is not echoed back to them.
                    if (typing.Party == ConversationParties.Customer) continue;
                    var typingText = new StringBuilder();
                    Append(typingText, null, "typing", new { party = typing.Party, name = typing.Name });
                    await context.Response.WriteAsync(typingText.ToString(), ct);
                    await context.Response.Body.FlushAsync(ct);
                }
                else
                {
                    read = true;
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The visitor went away; that is how an event stream ends.
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
        }
    }

    static async Task WatchAsync(IConversationFeed feed, string tenantId, Guid escalation, ChannelWriter<ConversationSignal> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var signal in feed.WatchAsync(tenantId, escalation, ct)) writer.TryWrite(signal);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            writer.TryComplete();
        }
    }

    static void Append(StringBuilder text, string? id, string type, object data)
    {
        if (id is not null) text.Append("id: ").Append(id).Append('\n');
        text.Append("event: ").Append(type).Append('\n')
            .Append("data: ").Append(JsonSerializer.Serialize(data, data.GetType(), WebChatEndpoints.Json)).Append("\n\n");
    }
}
