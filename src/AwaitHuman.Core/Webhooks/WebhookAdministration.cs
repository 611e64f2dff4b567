using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// The developers page's webhook changes (a Blazor circuit has no request): the same use cases as
/// /v1/webhook-endpoints, in a session of the caller's tenant whose messages (a test, a redelivery)
/// go through the outbox, committed only when the use case succeeded.
/// </summary>
public sealed class WebhookAdministration(
    OutboxedSessionFactory outbox, IWolverineRuntime runtime, IDocumentStore store, WebhookSecretProtector protector, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public async Task<WebhookEndpointDetails[]> ListAsync(Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        return await WebhookEndpointUseCases.ListAsync(session, clock.GetUtcNow(), ct);
    }

    public async Task<Outcome<ListPage<WebhookDeliveryDetails>>> DeliveriesAsync(Caller caller, Guid id, string? status, string? cursor, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        return await WebhookDeliveryUseCases.ListAsync(id, status, cursor, null, session, ct);
    }

    public Task<Outcome<WebhookEndpointWithSecret>> CreateAsync(Caller caller, Actor by, CreateWebhookEndpoint request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => WebhookEndpointUseCases.CreateAsync(request, by, session, protector, options.Value, clock.GetUtcNow(), ct), ct);

    public Task<Outcome<WebhookEndpointWithSecret>> RotateSecretAsync(Caller caller, Actor by, Guid id, int? overlapSeconds, CancellationToken ct) =>
        RunAsync(caller, (session, _) => WebhookEndpointUseCases.RotateSecretAsync(id, new RotateWebhookSecret(overlapSeconds), by, session, protector, options.Value, clock.GetUtcNow(), ct), ct);

    public Task<Outcome<WebhookEndpointDetails>> DisableAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, _) => WebhookEndpointUseCases.DisableAsync(id, null, by, session, clock.GetUtcNow(), ct), ct);

    public Task<Outcome<WebhookEndpointDetails>> EnableAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, _) => WebhookEndpointUseCases.EnableAsync(id, by, session, clock.GetUtcNow(), ct), ct);

    public Task<Outcome<TestWebhookSent>> TestAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => WebhookEndpointUseCases.TestAsync(id, session, bus, clock.GetUtcNow(), ct), ct);

    public Task<Outcome<WebhookDeliveryDetails>> RedeliverAsync(Caller caller, Guid id, string deliveryId, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => WebhookDeliveryUseCases.RedeliverAsync(id, deliveryId, session, bus, clock.GetUtcNow(), ct), ct);

    async Task<Outcome<T>> RunAsync<T>(Caller caller, Func<IDocumentSession, IMessageBus, Task<Outcome<T>>> change, CancellationToken ct) where T : notnull
    {
        // The page is admins' only, but the use cases hold the same line as the API's policy.
        if (!caller.Has(Scopes.WebhooksManage)) return new Failure.Forbidden($"Managing webhooks needs the scope {Scopes.WebhooksManage}.");
        var bus = new MessageContext(runtime, caller.TenantId);
        await using var session = outbox.OpenSession(bus);
        var outcome = await change(session, bus);
        if (outcome.Succeeded) await session.SaveChangesAsync(ct);
        return outcome;
    }
}
