using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Tracking;

namespace AwaitHuman.Testing;

/// <summary>Send a message as a tenant and wait until every message it caused has been handled.</summary>
public static class MessageTracking
{
    static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Through the durable local queues and outbox, as production code sends it.</summary>
    public static Task<ITrackedSession> PublishForTenantAndWaitAsync(this IHost host, string tenantId, object message, TimeSpan? timeout = null) =>
        host.TrackActivity(timeout ?? DefaultTimeout)
            .ExecuteAndWaitAsync(context => context.PublishAsync(message, new DeliveryOptions { TenantId = tenantId }));

    /// <summary>Handled inline, as an HTTP endpoint invoking a command would.</summary>
    public static Task<ITrackedSession> InvokeForTenantAndWaitAsync(this IHost host, string tenantId, object message, TimeSpan? timeout = null) =>
        host.TrackActivity(timeout ?? DefaultTimeout)
            .ExecuteAndWaitAsync(context => context.InvokeForTenantAsync(tenantId, message));
}
