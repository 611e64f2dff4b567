using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Marten;

namespace AwaitHuman.Core.Webhooks;

public static class WebhooksConfiguration
{
    public const string DeliveryQueue = "webhooks";

    public static void ConfigureWebhooks(this StoreOptions opts)
    {
        opts.Projections.Snapshot<WebhookEndpoint>(SnapshotLifecycle.Inline);
        opts.Schema.For<WebhookDelivery>()
            .Index(delivery => delivery.EndpointId)
            // A redelivery and an attempt in flight must not overwrite each other's changes.
            .UseOptimisticConcurrency(true);
    }

    public static void ConfigureWebhooks(this WolverineOptions opts)
    {
        // Attempts wait on other companies' servers (up to the attempt timeout): their own durable
        // queue, with bounded parallelism, keeps them from holding up the server's other local work.
        opts.LocalQueue(DeliveryQueue).UseDurableInbox().MaximumParallelMessages(20);
        opts.PublishMessage<DeliverWebhook>().ToLocalQueue(DeliveryQueue);
    }

    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .BindWithRetrySchedule(configuration.GetSection(WebhookOptions.Section), nameof(WebhookOptions.RetryDelays), (options, delays) => options.RetryDelays = delays);
        services.AddSingleton<WebhookSecretProtector>();
        services.AddSingleton<WebhookSender>();
        services.AddScoped<WebhookAdministration>();
        services.AddWebhookHttpClient();
        services.SubscribeToEvents(new WebhookEventFeed());
        return services;
    }
}
