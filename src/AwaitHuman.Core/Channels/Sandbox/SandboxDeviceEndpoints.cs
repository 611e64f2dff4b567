using System.Text;
using System.Text.Json;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Channels.Receiving;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Channels.Sandbox;

/// <param name="ClientId">Chosen by the page for each message, so a resent form is taken once.</param>
public sealed record SandboxCustomerMessage(string? Text, string? ClientId, string? Consent);

public sealed record SandboxDeviceLink(string Url, string Channel, string Address);

/// <summary>
/// The simulated customer device's API: the page (served by the portal) shows what the customer
/// received on one channel and lets a person answer as the customer, live. Its answers enter through
/// the same inbox as a real provider's webhooks.
/// </summary>
public static class SandboxDeviceEndpoints
{
    const int MaxText = 4_096;

    [WolverineGet("/v1/escalations/{id}/sandbox-device", OperationId = "GetSandboxDevice")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Sandbox")]
    [EndpointSummary("The link to the simulated device of this escalation's customer, when its channel goes through the sandbox")]
    public static async Task<IResult> LinkAsync(Guid id, string? channel, IQuerySession session, SandboxDevice device, CancellationToken ct)
    {
        var escalation = await session.LoadAsync<Escalation>(id, ct);
        if (escalation is null) return Problems.NotFound("escalation");
        var chosen = channel ?? escalation.Channel;
        var address = CustomerChannel.AddressOf(escalation.Customer, chosen, escalation.ExternalRef);
        var connection = await ConnectionLookup.ForChannelAsync(session, chosen, ct);
        if (address is null) return Problems.Conflict($"The customer has no {chosen} address.");
        if (connection?.Provider != SandboxConnector.Name) return Problems.Conflict($"{chosen} does not go through the sandbox for this tenant.");
        return Results.Ok(new SandboxDeviceLink(device.UrlFor(session.TenantId, connection.Id, chosen, address).ToString(), chosen, address));
    }

    [WolverineGet("/sandbox/device/conversation", OperationId = "SandboxDeviceConversation")]
    [Tags("Sandbox")]
    [EndpointSummary("What the simulated customer has received and sent, after a position")]
    public static async Task<IResult> ConversationAsync(string? token, int? after, SandboxDevice device, IConversationFeed feed, IDocumentStore store, CancellationToken ct)
    {
        if (device.Read(token) is not { } address) return Results.Problem(statusCode: 404, title: "Not found", detail: "This device link is not valid.");
        var escalationId = await CurrentEscalationAsync(store, address, ct);
        var conversation = escalationId is null ? null : await feed.ReadAsync(address.TenantId, escalationId.Value, after ?? 0, ct);
        return Results.Ok(conversation ?? new Conversation(Guid.Empty, "none", null, []));
    }

    [WolverinePost("/sandbox/device/messages", OperationId = "SandboxDeviceSend")]
    [Tags("Sandbox")]
    [EndpointSummary("The simulated customer answers; it reaches the escalation like a provider's inbound message")]
    public static async Task<IResult> SendAsync(string? token, SandboxCustomerMessage message, SandboxDevice device, IChannelInbox inbox, TimeProvider clock, CancellationToken ct)
    {
        if (device.Read(token) is not { } address) return Results.Problem(statusCode: 404, title: "Not found", detail: "This device link is not valid.");
        var errors = new Problems.Errors()
            .Check("text", string.IsNullOrWhiteSpace(message.Text) ? "Write something." : message.Text.Length > MaxText ? $"At most {MaxText:N0} characters." : null)
            .Check("client_id", message.ClientId is null || message.ClientId.Length is < 8 or > 64 ? "A client id of 8 to 64 characters identifies the message." : null)
            .Check("consent", message.Consent is not (null or ConsentChanges.OptOut or ConsentChanges.OptIn) ? "The consent is opt_out or opt_in." : null);
        if (errors.Any) return errors.ToResult();

        var connection = await inbox.FindConnectionAsync(SandboxConnector.Name, address.ConnectionId, ct);
        if (connection is null || connection.TenantId != address.TenantId)
            return Results.Problem(statusCode: 404, title: "Not found", detail: "The sandbox connection of this device was disabled or deleted.");
        var text = message.Text!.Trim();
        var consent = message.Consent ?? (address.Channel == ChannelKinds.Sms ? KeywordConsent(text) : null);
        var result = await inbox.ReceiveAsync(connection,
            new InboundMessage($"sandbox-{message.ClientId}", address.Channel, address.Address, null, text, clock.GetUtcNow(), Consent: consent), ct);
        return Results.Ok(new { result = result.ToString().ToLowerInvariant() });
    }

    [WolverineGet("/sandbox/device/events", OperationId = "SandboxDeviceEvents")]
    [Tags("Sandbox")]
    [EndpointSummary("Server-Sent Events telling the device page to read again (changed) or that someone is typing")]
    [Produces("text/event-stream")]
    public static async Task EventsAsync(string? token, SandboxDevice device, IConversationFeed feed, IDocumentStore store, HttpContext context)
    {
        var ct = context.RequestAborted;
        if (device.Read(token) is not { } address || await CurrentEscalationAsync(store, address, ct) is not { } escalationId)
        {
            await Results.Problem(statusCode: 404, title: "Not found", detail: "Nothing to watch on this device yet.").ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync("retry: 2000\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
        await foreach (var signal in feed.WatchAsync(address.TenantId, escalationId, ct))
        {
            var line = signal switch
            {
                ConversationSignal.Typing typing => $"event: typing\ndata: {JsonSerializer.Serialize(new { party = typing.Party, name = typing.Name })}\n\n",
                _ => "event: changed\ndata: {}\n\n",
            };
            await context.Response.WriteAsync(line, Encoding.UTF8, ct);
            await context.Response.Body.FlushAsync(ct);
        }
    }

    /// <summary>The escalation this address is talking in, as an inbound message would find it.</summary>
    static async Task<Guid?> CurrentEscalationAsync(IDocumentStore store, SandboxAddress address, CancellationToken ct)
    {
        await using var session = store.QuerySession(address.TenantId);
        var customer = await session.LoadAsync<CustomerChannel>(CustomerChannel.IdOf(address.Channel, address.Address), ct)
            ?? new CustomerChannel { Id = CustomerChannel.IdOf(address.Channel, address.Address), Channel = address.Channel, Address = address.Address };
        return await CustomerEscalations.CurrentAsync(session, customer, ct);
    }

    /// <summary>The carrier keywords for SMS consent, as the sandbox plays the carrier.</summary>
    static string? KeywordConsent(string text) => text.ToUpperInvariant() switch
    {
        "STOP" or "STOPALL" or "UNSUBSCRIBE" or "CANCEL" or "END" or "QUIT" => ConsentChanges.OptOut,
        "START" or "YES" or "UNSTOP" => ConsentChanges.OptIn,
        _ => null,
    };
}
