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

public sealed record DisableChannelConnection(string? Reason);

/// <param name="To">The address to send to on <paramref name="Channel"/> (a phone number, an email address, ...).</param>
public sealed record TestSend(string? Channel, string? To, string? Text);

/// <summary>A connection as the API shows it: settings, never secrets (only their names).</summary>
/// <param name="Status"><c>enabled</c> or <c>disabled</c>.</param>
/// <param name="WebhookUrls">What to paste into the provider's console, by purpose.</param>
public sealed record ChannelConnectionView(
    Guid Id, string Provider, string Name, string[] Channels, IReadOnlyDictionary<string, string> Settings, string[] SecretNames,
    string Status, string? DisabledReason, IReadOnlyDictionary<string, string> WebhookUrls, Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ChannelConnectionView Of(Connection c, IChannelConnector? connector, Uri publicBaseUrl) => new(
        c.Id, c.Provider, c.Name, c.Channels, c.Settings, c.SecretNames, c.IsEnabled ? "enabled" : "disabled", c.DisabledReason,
        (connector?.Schema.Webhooks ?? []).ToDictionary(path => path, path => new Uri(publicBaseUrl, $"connectors/{c.Provider}/{c.Id}/{path}").ToString()),
        c.CreatedBy, c.CreatedAt, c.UpdatedAt);
}

/// <param name="Outcome"><c>accepted</c>, <c>retry_later</c> or <c>failed</c>.</param>
public sealed record TestSendResult(string Outcome, string? ProviderMessageId, string? State, string? ErrorCode, string? Error, string? Suggestion);

public static class ConnectionEndpoints
{
    const int MaxValueLength = 4_000;

    [WolverinePost("/v1/channel-connections", OperationId = "CreateChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Connects a provider (Twilio, SendGrid, web chat, sandbox, agent relay) with its settings and secrets; secrets are never shown again")]
    public static IResult Create(
        CreateChannelConnection request, IDocumentSession session, HttpContext context, ConnectorCatalog catalog,
        ConnectionSecrets secrets, PublicUrls urls, TimeProvider clock)
    {
        var connector = request.Provider is null ? null : catalog.Find(request.Provider);
        var errors = new Problems.Errors()
            .Check("provider", connector is null ? $"The provider is one of {string.Join(", ", catalog.Providers.Order())}." : null)
            .Check("name", string.IsNullOrWhiteSpace(request.Name) ? "A name is required." : request.Name.Length > 100 ? "The name is at most 100 characters." : null);
        if (connector is not null)
        {
            var unserved = (request.Channels ?? []).Where(channel => !connector.Channels.Contains(channel)).ToArray();
            errors.Check("channels", unserved.Length > 0 ? $"{request.Provider} serves {string.Join(", ", connector.Channels)}, not {string.Join(", ", unserved)}." : null);
            CheckFields(errors, "settings", connector.Schema.Settings, request.Settings);
            CheckFields(errors, "secrets", connector.Schema.Secrets, request.Secrets);
        }
        if (errors.Any) return errors.ToResult();

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var channels = request.Channels is { Length: > 0 } chosen ? chosen.Distinct().ToArray() : connector!.Channels.ToArray();
        var settings = request.Settings ?? [];
        var secretValues = request.Secrets ?? [];
        var candidate = new ChannelConnection(id, session.TenantId, connector!.Provider, request.Name!.Trim(), channels, settings, secretValues, urls.BaseUrl);
        foreach (var (field, problem) in connector.Validate(candidate)) errors.Check(field, problem);
        if (errors.Any) return errors.ToResult();

        var connected = new ChannelConnected(id, connector.Provider, candidate.Name, channels, settings,
            secrets.Protect(session.TenantId, secretValues), secretValues.Keys.Order().ToArray(), Caller.Of(context).AsActor(context), now);
        session.Events.StartStream<Connection>(id, connected);
        return Results.Created($"/v1/channel-connections/{id}", ChannelConnectionView.Of(Connection.Create(connected), connector, urls.BaseUrl));
    }

    [WolverineGet("/v1/channel-connections", OperationId = "ListChannelConnections")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Lists the tenant's channel connections, newest first, without secrets")]
    [ProducesResponseType<ListPage<ChannelConnectionView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await List(session, catalog, urls, ct), connection => Paging.ByTime(connection.CreatedAt, connection.Id), page, descending: true));

    /// <summary>The tenant's channel connections, newest first, without secrets.</summary>
    public static async Task<ChannelConnectionView[]> List(IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct)
    {
        var connections = await session.Query<Connection>().OrderByDescending(c => c.CreatedAt).ToListAsync(ct);
        return connections.Select(c => ChannelConnectionView.Of(c, catalog.Find(c.Provider), urls.BaseUrl)).ToArray();
    }

    [WolverineGet("/v1/channel-connections/{id}", OperationId = "GetChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Shows one channel connection, without secrets")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, ConnectorCatalog catalog, PublicUrls urls, CancellationToken ct) =>
        await session.LoadAsync<Connection>(id, ct) is { } connection
            ? Results.Ok(ChannelConnectionView.Of(connection, catalog.Find(connection.Provider), urls.BaseUrl))
            : Problems.NotFound("channel connection");

    [WolverinePost("/v1/channel-connections/{id}/test-send", OperationId = "TestSendChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Sends one message through the connection now and reports what the provider said")]
    public static async Task<IResult> TestSendAsync(
        Guid id, TestSend request, IQuerySession session, ConnectorCatalog catalog, ConnectionLookup lookup, TimeProvider clock, CancellationToken ct)
    {
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Problems.NotFound("channel connection");
        var connector = catalog.Find(connection.Provider);
        var errors = new Problems.Errors()
            .Check("channel", request.Channel is null || !connection.Channels.Contains(request.Channel) ? $"The connection serves {string.Join(", ", connection.Channels)}." : null)
            .Check("to", request.Channel != ChannelKinds.Agent && string.IsNullOrWhiteSpace(request.To) ? "The address to send to is required." : null)
            .Check("text", string.IsNullOrWhiteSpace(request.Text) ? "The text is required." : null);
        if (errors.Any) return errors.ToResult();
        if (!connection.IsEnabled) return Problems.Conflict("The connection is disabled; enable it first.");
        if (connector is null) return Problems.Conflict($"This server has no {connection.Provider} connector.");

        var message = new OutboundMessage(Guid.CreateVersion7(clock.GetUtcNow()), Guid.Empty, request.Channel!, request.To?.Trim() ?? "", null,
            request.Text, null, new ConversationThread("Test message", [], null), connection.Settings.GetValueOrDefault("from") ?? "");
        var outcome = await connector.SendAsync(message, lookup.Open(connection), ct);
        return Results.Ok(outcome switch
        {
            SendOutcome.Accepted accepted => new TestSendResult("accepted", accepted.ProviderMessageId, accepted.State, null, null, null),
            SendOutcome.RetryLater later => new TestSendResult("retry_later", null, null, null, later.Error, null),
            SendOutcome.Failed failed => new TestSendResult("failed", null, null, failed.ErrorCode, failed.Error, failed.Suggestion),
            _ => throw new InvalidOperationException($"Unknown send outcome {outcome}."),
        });
    }

    [WolverinePost("/v1/channel-connections/{id}/disable", OperationId = "DisableChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Stops sending and receiving through the connection; its provider webhooks answer 403 until it is enabled")]
    public static async Task<IResult> Disable(Guid id, DisableChannelConnection request, IDocumentSession session, HttpContext context, ConnectorCatalog catalog, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        if (request.Reason?.Length > 500) return new Problems.Errors().Check("reason", "The reason is at most 500 characters.").ToResult();
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Problems.NotFound("channel connection");
        if (connection.IsEnabled)
        {
            var disabled = new ChannelConnectionDisabled(id, request.Reason, Caller.Of(context).AsActor(context), clock.GetUtcNow());
            session.Events.Append(id, disabled);
            connection.Apply(disabled);
        }
        return Results.Ok(ChannelConnectionView.Of(connection, catalog.Find(connection.Provider), urls.BaseUrl));
    }

    [WolverinePost("/v1/channel-connections/{id}/enable", OperationId = "EnableChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Enables a disabled connection again")]
    public static async Task<IResult> Enable(Guid id, IDocumentSession session, HttpContext context, ConnectorCatalog catalog, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Problems.NotFound("channel connection");
        if (!connection.IsEnabled)
        {
            var enabled = new ChannelConnectionEnabled(id, Caller.Of(context).AsActor(context), clock.GetUtcNow());
            session.Events.Append(id, enabled);
            connection.Apply(enabled);
        }
        return Results.Ok(ChannelConnectionView.Of(connection, catalog.Find(connection.Provider), urls.BaseUrl));
    }

    [WolverineDelete("/v1/channel-connections/{id}", OperationId = "DeleteChannelConnection")]
    [Authorize(Policy = Policies.ChannelsManage)]
    [Tags("Channels")]
    [EndpointSummary("Deletes the connection and its secrets; replies still queued for it fail with a suggestion")]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var connection = await session.LoadAsync<Connection>(id, ct);
        if (connection is null) return Problems.NotFound("channel connection");
        session.Events.Append(id, new ChannelConnectionDeleted(id, connection.Name, Caller.Of(context).AsActor(context), clock.GetUtcNow()));
        return Results.NoContent();
    }

    static void CheckFields(Problems.Errors errors, string group, IReadOnlyList<ConnectionField> fields, Dictionary<string, string>? given)
    {
        given ??= [];
        foreach (var field in fields.Where(f => f.Required && string.IsNullOrWhiteSpace(given.GetValueOrDefault(f.Name))))
            errors.Check($"{group}.{field.Name}", $"Required: {field.Description}");
        foreach (var name in given.Keys.Where(name => fields.All(f => f.Name != name)))
            errors.Check($"{group}.{name}", $"Unknown; {group} are {(fields.Count == 0 ? "none" : string.Join(", ", fields.Select(f => f.Name)))}.");
        foreach (var (name, value) in given.Where(pair => pair.Value?.Length > MaxValueLength))
            errors.Check($"{group}.{name}", $"At most {MaxValueLength:N0} characters.");
    }
}
