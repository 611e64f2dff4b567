using AwaitHuman.Core.Lists;
using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Webhooks;

public sealed record CreateWebhookEndpoint(string? Url, string[]? EventTypes, string? Description);

/// <summary>Only the fields present change; an empty description removes it.</summary>
public sealed record UpdateWebhookEndpoint(string? Url, string[]? EventTypes, string? Description);

/// <param name="OverlapSeconds">How long the old secret keeps signing beside the new one (0 to 7 days; default 24 h).</param>
public sealed record RotateWebhookSecret(int? OverlapSeconds);

public sealed record DisableWebhookEndpoint(string? Reason);

/// <summary>An endpoint as callers see it: never its secret, which only creation and rotation show.</summary>
/// <param name="Status"><c>enabled</c> or <c>disabled</c>.</param>
public sealed record WebhookEndpointDetails(
    Guid Id, string Url, string? Description, string[] EventTypes, string Status, string? DisabledReason, DateTimeOffset? DisabledAt,
    string SecretHint, DateTimeOffset? PreviousSecretExpiresAt, Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointDetails Of(WebhookEndpoint endpoint, DateTimeOffset now) => new(
        endpoint.Id, endpoint.Url, endpoint.Description, endpoint.EventTypes, endpoint.IsEnabled ? "enabled" : "disabled",
        endpoint.DisabledReason, endpoint.DisabledAt, endpoint.SecretHint,
        endpoint.PreviousSecretExpiresAt > now ? endpoint.PreviousSecretExpiresAt : null,
        endpoint.CreatedBy, endpoint.CreatedAt, endpoint.UpdatedAt);
}

/// <summary>The one time a secret is shown: on creation and on rotation.</summary>
public sealed record WebhookEndpointWithSecret(
    Guid Id, string Url, string? Description, string[] EventTypes, string Status, string SecretHint,
    DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Secret)
{
    public static WebhookEndpointWithSecret Of(WebhookEndpoint endpoint, string secret, DateTimeOffset now)
    {
        var details = WebhookEndpointDetails.Of(endpoint, now);
        return new(details.Id, details.Url, details.Description, details.EventTypes, details.Status, details.SecretHint,
            details.PreviousSecretExpiresAt, details.CreatedAt, details.UpdatedAt, secret);
    }
}

public sealed record TestWebhookSent(string DeliveryId);

/// <summary>
/// Managing a tenant's subscriptions: each is a <see cref="WebhookEndpoint"/> (a URL and the event types
/// sent to it), under /v1/webhook-endpoints. The functions are <see cref="WebhookEndpointUseCases"/>'s,
/// which the developers page calls too.
/// </summary>
public static class WebhookSubscriptionEndpoints
{
    [WolverinePost("/v1/webhook-endpoints", OperationId = "CreateWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Registers a URL that receives the tenant's events, signed; the signing secret is shown in this response only")]
    public static async Task<IResult> Create(
        CreateWebhookEndpoint request, IDocumentSession session, HttpContext context, WebhookSecretProtector protector,
        IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await WebhookEndpointUseCases.CreateAsync(request, Caller.Of(context).AsActor(context), session, protector, options.Value, clock.GetUtcNow(), ct),
            created => Results.Created($"/v1/webhook-endpoints/{created.Id}", created));

    [WolverineGet("/v1/webhook-endpoints", OperationId = "ListWebhookEndpoints")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Lists the tenant's webhook endpoints, newest first, without their secrets")]
    [ProducesResponseType<ListPage<WebhookEndpointDetails>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await WebhookEndpointUseCases.ListAsync(session, clock.GetUtcNow(), ct), endpoint => Paging.ByTime(endpoint.CreatedAt, endpoint.Id), page, descending: true));

    [WolverineGet("/v1/webhook-endpoints/{id}", OperationId = "GetWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Shows one webhook endpoint, without its secret")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        await session.LoadAsync<WebhookEndpoint>(id, ct) is { } endpoint
            ? Results.Ok(WebhookEndpointDetails.Of(endpoint, clock.GetUtcNow()))
            : Problems.NotFound("webhook endpoint");

    [WolverinePatch("/v1/webhook-endpoints/{id}", OperationId = "UpdateWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Changes an endpoint's url, event types or description; fields left out stay as they are")]
    public static async Task<IResult> Update(
        Guid id, UpdateWebhookEndpoint request, IDocumentSession session, HttpContext context, IOptions<WebhookOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        if (endpoint is null) return Problems.NotFound("webhook endpoint");

        var errors = new Problems.Errors()
            .Check("url", request.Url is null ? null : await WebhookUrls.ProblemAsync(request.Url, options.Value.AllowPrivateNetworks, ct))
            .Check("event_types", request.EventTypes is null ? null : WebhookEndpointUseCases.EventTypesProblem(request.EventTypes))
            .Check("description", WebhookEndpointUseCases.DescriptionProblem(request.Description));
        if (errors.Any) return errors.ToResult();

        var url = request.Url?.Trim() ?? endpoint.Url;
        var eventTypes = request.EventTypes is null ? endpoint.EventTypes : WebhookEndpointUseCases.Normalized(request.EventTypes);
        var description = request.Description is null ? endpoint.Description : WebhookEndpointUseCases.Normalized(request.Description);
        var now = clock.GetUtcNow();
        if (url != endpoint.Url || !eventTypes.SequenceEqual(endpoint.EventTypes) || description != endpoint.Description)
        {
            var updated = new WebhookEndpointUpdated(id, url, eventTypes, description, Caller.Of(context).AsActor(context), now);
            session.Events.Append(id, updated);
            endpoint.Apply(updated);
        }
        return Results.Ok(WebhookEndpointDetails.Of(endpoint, now));
    }

    [WolverineDelete("/v1/webhook-endpoints/{id}", OperationId = "DeleteWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Deletes an endpoint and its delivery log; deliveries still pending are not sent")]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        if (endpoint is null) return Problems.NotFound("webhook endpoint");

        session.Events.Append(id, new WebhookEndpointDeleted(id, endpoint.Url, Caller.Of(context).AsActor(context), clock.GetUtcNow()));
        session.DeleteWhere<WebhookDelivery>(delivery => delivery.EndpointId == id);
        return Results.NoContent();
    }

    [WolverinePost("/v1/webhook-endpoints/{id}/rotate-secret", OperationId = "RotateWebhookSecret")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Issues a new signing secret, shown in this response only; the old one keeps signing beside it for the overlap")]
    public static async Task<IResult> RotateSecret(
        Guid id, RotateWebhookSecret? request, IDocumentSession session, HttpContext context, WebhookSecretProtector protector,
        IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await WebhookEndpointUseCases.RotateSecretAsync(id, request, Caller.Of(context).AsActor(context), session, protector, options.Value, clock.GetUtcNow(), ct));

    [WolverinePost("/v1/webhook-endpoints/{id}/disable", OperationId = "DisableWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Stops deliveries to an endpoint until it is enabled again; pending ones are cancelled")]
    public static async Task<IResult> Disable(
        Guid id, DisableWebhookEndpoint? request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await WebhookEndpointUseCases.DisableAsync(id, request, Caller.Of(context).AsActor(context), session, clock.GetUtcNow(), ct));

    [WolverinePost("/v1/webhook-endpoints/{id}/enable", OperationId = "EnableWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Resumes deliveries to a disabled endpoint; redeliver what it missed from its delivery log")]
    public static async Task<IResult> Enable(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await WebhookEndpointUseCases.EnableAsync(id, Caller.Of(context).AsActor(context), session, clock.GetUtcNow(), ct));

    [WolverinePost("/v1/webhook-endpoints/{id}/test", OperationId = "TestWebhookEndpoint")]
    [Authorize(Policy = Policies.WebhooksManage)]
    [Tags("Webhooks")]
    [EndpointSummary("Sends a webhook.test event to this endpoint alone, through the usual signing, retries and delivery log")]
    public static async Task<IResult> Test(Guid id, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await WebhookEndpointUseCases.TestAsync(id, session, bus, clock.GetUtcNow(), ct),
            sent => Results.Accepted($"/v1/webhook-endpoints/{id}/deliveries", sent));
}

/// <summary>
/// Creating, rotating, disabling, enabling and testing webhook endpoints, for the API and the developers
/// page. Nothing is committed here: the caller saves the session (with its outbox, for the messages
/// published) when the outcome succeeded.
/// </summary>
public static class WebhookEndpointUseCases
{
    public const int MaxDescriptionLength = 500;
    static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);

    public static async Task<Outcome<WebhookEndpointWithSecret>> CreateAsync(
        CreateWebhookEndpoint request, Actor by, IDocumentSession session, WebhookSecretProtector protector, WebhookOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("url", await WebhookUrls.ProblemAsync(request.Url, options.AllowPrivateNetworks, ct))
            .Check("event_types", EventTypesProblem(request.EventTypes))
            .Check("description", DescriptionProblem(request.Description));
        if (errors.Any) return errors.ToFailure();

        var id = Guid.CreateVersion7(now);
        var secret = WebhookSignatures.NewSecret();
        var created = new WebhookEndpointCreated(id, request.Url!.Trim(), Normalized(request.EventTypes!), Normalized(request.Description),
            protector.Protect(session.TenantId, secret), WebhookSignatures.Hint(secret), by, now);
        session.Events.StartStream<WebhookEndpoint>(id, created);
        return WebhookEndpointWithSecret.Of(WebhookEndpoint.Create(created), secret, now);
    }

    public static async Task<WebhookEndpointDetails[]> ListAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var endpoints = await session.Query<WebhookEndpoint>().OrderByDescending(endpoint => endpoint.CreatedAt).ToListAsync(ct);
        return endpoints.Select(endpoint => WebhookEndpointDetails.Of(endpoint, now)).ToArray();
    }

    public static async Task<Outcome<WebhookEndpointWithSecret>> RotateSecretAsync(
        Guid id, RotateWebhookSecret? request, Actor by, IDocumentSession session, WebhookSecretProtector protector, WebhookOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        if (endpoint is null) return Failure.NotFound.Of("webhook endpoint");
        if (request?.OverlapSeconds is < 0 || request?.OverlapSeconds > MaxOverlap.TotalSeconds)
            return Failure.Invalid.Of("overlap_seconds", $"The overlap is 0 to {MaxOverlap.TotalSeconds:0} seconds (7 days).");

        var overlap = request?.OverlapSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.DefaultSecretOverlap;
        var secret = WebhookSignatures.NewSecret();
        var rotated = new WebhookSecretRotated(id, protector.Protect(session.TenantId, secret), WebhookSignatures.Hint(secret), now + overlap, by, now);
        session.Events.Append(id, rotated);
        endpoint.Apply(rotated);
        return WebhookEndpointWithSecret.Of(endpoint, secret, now);
    }

    /// <summary>Disabling a disabled endpoint changes nothing and succeeds.</summary>
    public static async Task<Outcome<WebhookEndpointDetails>> DisableAsync(
        Guid id, DisableWebhookEndpoint? request, Actor by, IDocumentSession session, DateTimeOffset now, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        if (endpoint is null) return Failure.NotFound.Of("webhook endpoint");
        if (request?.Reason is { Length: > MaxDescriptionLength })
            return Failure.Invalid.Of("reason", $"The reason is at most {MaxDescriptionLength} characters.");

        if (endpoint.IsEnabled)
        {
            var disabled = new WebhookEndpointDisabled(id, Normalized(request?.Reason) ?? $"Disabled by {by.Name}.", by, now);
            session.Events.Append(id, disabled);
            endpoint.Apply(disabled);
        }
        return WebhookEndpointDetails.Of(endpoint, now);
    }

    /// <summary>Enabling an enabled endpoint changes nothing and succeeds.</summary>
    public static async Task<Outcome<WebhookEndpointDetails>> EnableAsync(Guid id, Actor by, IDocumentSession session, DateTimeOffset now, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        if (endpoint is null) return Failure.NotFound.Of("webhook endpoint");

        if (!endpoint.IsEnabled)
        {
            var enabled = new WebhookEndpointEnabled(id, by, now);
            session.Events.Append(id, enabled);
            endpoint.Apply(enabled);
        }
        return WebhookEndpointDetails.Of(endpoint, now);
    }

    public static async Task<Outcome<TestWebhookSent>> TestAsync(Guid id, IDocumentSession session, IMessageBus bus, DateTimeOffset now, CancellationToken ct)
    {
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        if (endpoint is null) return Failure.NotFound.Of("webhook endpoint");
        if (!endpoint.IsEnabled) return new Failure.Conflict("The endpoint is disabled; enable it first.");

        var data = JsonSerializer.SerializeToElement(new { EndpointId = id, Message = "A test event from AwaitHuman." }, EscalationFeed.Json);
        var delivery = WebhookDelivery.For(id, WebhookEventTypes.Test, null, WebhookDelivery.Envelope(WebhookEventTypes.Test, now, data), now);
        session.Insert(delivery);
        await bus.PublishAsync(new DeliverWebhook(delivery.Id, delivery.Series));
        return new TestWebhookSent(delivery.Id);
    }

    public static string? EventTypesProblem(string[]? eventTypes)
    {
        var known = $"'{WebhookEventTypes.All}' (every type) or any of {string.Join(", ", WebhookEventTypes.Escalation)}";
        if (eventTypes is null || eventTypes.Length == 0) return $"At least one event type is required: {known}.";
        var unknown = eventTypes.Where(type => type is null || !WebhookEventTypes.IsKnown(type)).Select(type => $"'{type}'").ToArray();
        return unknown.Length == 0 ? null : $"Unknown event type {string.Join(", ", unknown)}. Known types: {known}.";
    }

    public static string? DescriptionProblem(string? description) =>
        description?.Trim().Length > MaxDescriptionLength ? $"The description is at most {MaxDescriptionLength} characters." : null;

    public static string[] Normalized(string[] eventTypes) => eventTypes.Contains(WebhookEventTypes.All) ? [WebhookEventTypes.All] : eventTypes.Distinct().ToArray();

    public static string? Normalized(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
