using AwaitHuman.Connectors;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Channels.Connections;

/// <param name="Provider">A connector this server has: <c>sandbox</c>, <c>agent_relay</c>, <c>twilio</c>, <c>sendgrid</c>, <c>webchat</c>.</param>
/// <param name="Channels">The channels it serves; all of the provider's when left out.</param>
/// <param name="Settings">The provider's settings, shown back.</param>
/// <param name="Secrets">The provider's secrets, encrypted at rest and never shown again.</param>
public sealed record CreateChannelConnection(string? Provider, string? Name, string[]? Channels, Dictionary<string, string>? Settings, Dictionary<string, string>? Secrets);

/// <param name="Name">A new name; left out, it stays.</param>
/// <param name="Channels">The channels it serves; left out, they stay.</param>
/// <param name="Settings">All the settings as they should be (a setting left out is cleared); left out, they stay.</param>
/// <param name="Secrets">Only the secrets to replace; one left out or empty keeps its stored value.</param>
public sealed record UpdateChannelConnection(string? Name, string[]? Channels, Dictionary<string, string>? Settings, Dictionary<string, string>? Secrets);

public sealed record DisableChannelConnection(string? Reason);

/// <param name="To">The address to send to on <paramref name="Channel"/> (a phone number, an email address, ...).</param>
public sealed record TestSend(string? Channel, string? To, string? Text);

/// <summary>A connection as the API shows it: settings, never secrets (only their names).</summary>
/// <param name="Status"><c>enabled</c> or <c>disabled</c>.</param>
/// <param name="WebhookUrls">What to paste into the provider's console, by purpose.</param>
/// <param name="LastError">The latest failed send through it (a test send or a reply), with its provider error code.</param>
public sealed record ChannelConnectionView(
    Guid Id, string Provider, string Name, string[] Channels, IReadOnlyDictionary<string, string> Settings, string[] SecretNames,
    string Status, string? DisabledReason, IReadOnlyDictionary<string, string> WebhookUrls, Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    ChannelConnectionError? LastError)
{
    public static ChannelConnectionView Of(Connection c, IChannelConnector? connector, Uri publicBaseUrl, ConnectionFailure? lastFailure = null) => new(
        c.Id, c.Provider, c.Name, c.Channels, c.Settings, c.SecretNames, c.IsEnabled ? "enabled" : "disabled", c.DisabledReason,
        (connector?.Schema.Webhooks ?? []).ToDictionary(path => path, path => new Uri(publicBaseUrl, $"connectors/{c.Provider}/{c.Id}/{path}").ToString()),
        c.CreatedBy, c.CreatedAt, c.UpdatedAt,
        lastFailure is null ? null : new ChannelConnectionError(lastFailure.ErrorCode, lastFailure.Error, lastFailure.At));
}

public sealed record ChannelConnectionError(string? Code, string Message, DateTimeOffset At);

/// <param name="Outcome"><c>accepted</c>, <c>retry_later</c> or <c>failed</c>.</param>
public sealed record TestSendResult(string Outcome, string? ProviderMessageId, string? State, string? ErrorCode, string? Error, string? Suggestion);

public static class ConnectionEndpoints
{
    [WolverinePost("/v1/channel-connections", OperationId = "CreateChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Connects a provider (Twilio, SendGrid, web chat, sandbox, agent relay) with its settings and secrets; secrets are never shown again")]
    public static IResult Create(
        CreateChannelConnection request, IDocumentSession session, HttpContext context, ConnectorCatalog catalog,
        ConnectionSecrets secrets, PublicUrls urls, TimeProvider clock) =>
        Problems.Of(ConnectionUseCases.Create(request, session, catalog, secrets, urls, Caller.Of(context).AsActor(context), clock),
            view => Results.Created($"/v1/channel-connections/{view.Id}", view));

    [WolverineGet("/v1/channel-connections", OperationId = "ListChannelConnections")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Lists the tenant's channel connections, newest first, without secrets")]
    [ProducesResponseType<ListPage<ChannelConnectionView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await ConnectionUseCases.ListAsync(session, catalog, urls, ct), connection => Paging.ByTime(connection.CreatedAt, connection.Id), page, descending: true));

    [WolverineGet("/v1/channel-connections/{id}", OperationId = "GetChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Shows one channel connection, without secrets")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct) =>
        Problems.Of(await ConnectionUseCases.GetAsync(id, session, catalog, urls, ct));

    [WolverinePatch("/v1/channel-connections/{id}", OperationId = "UpdateChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Changes a connection's name, channels, settings or secrets; secrets left out or empty keep their stored values")]
    public static async Task<IResult> Update(
        Guid id, UpdateChannelConnection request, IDocumentSession session, HttpContext context, ConnectorCatalog catalog,
        ConnectionSecrets secrets, PublicUrls urls, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await ConnectionUseCases.UpdateAsync(id, request, session, catalog, secrets, urls, Caller.Of(context).AsActor(context), clock, ct));

    [WolverinePost("/v1/channel-connections/{id}/test-send", OperationId = "TestSendChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Sends one message through the connection now and reports what the provider said")]
    public static async Task<IResult> TestSendAsync(
        Guid id, TestSend request, IDocumentSession session, ConnectorCatalog catalog, ConnectionLookup lookup, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await ConnectionUseCases.TestSendAsync(id, request, session, catalog, lookup, clock, ct));

    [WolverinePost("/v1/channel-connections/{id}/disable", OperationId = "DisableChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Stops sending and receiving through the connection; its provider webhooks answer 403 until it is enabled")]
    public static async Task<IResult> Disable(Guid id, DisableChannelConnection request, IDocumentSession session, HttpContext context, ConnectorCatalog catalog, PublicUrls urls, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await ConnectionUseCases.DisableAsync(id, request, session, catalog, urls, Caller.Of(context).AsActor(context), clock, ct));

    [WolverinePost("/v1/channel-connections/{id}/enable", OperationId = "EnableChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Enables a disabled connection again")]
    public static async Task<IResult> Enable(Guid id, IDocumentSession session, HttpContext context, ConnectorCatalog catalog, PublicUrls urls, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await ConnectionUseCases.EnableAsync(id, session, catalog, urls, Caller.Of(context).AsActor(context), clock, ct));

    [WolverineDelete("/v1/channel-connections/{id}", OperationId = "DeleteChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Deletes the connection and its secrets; replies still queued for it fail with a suggestion")]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await ConnectionUseCases.DeleteAsync(id, session, Caller.Of(context).AsActor(context), clock, ct), _ => Results.NoContent());
}
