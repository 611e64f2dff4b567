using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.AgentRelay;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Channels.Conversations;
using AwaitHuman.Core.Channels.Receiving;
using AwaitHuman.Core.Channels.Sandbox;
using AwaitHuman.Core.Channels.Sending;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace AwaitHuman.Core.Channels;

public static class ChannelsConfiguration
{
    public const string SendQueue = "channel-sends";

    public static void ConfigureChannels(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Connection>(SnapshotLifecycle.Inline);
        opts.Schema.For<ChannelMessage>().Index(m => m.EscalationId).Index(m => m.ProviderMessageId);
        // A column of its own, so the hourly purge is one indexed delete.
        opts.Schema.For<InboundReceipt>().Duplicate(r => r.ReceivedAt);
        opts.Schema.For<CustomerAttachment>().Index(a => a.EscalationId);
    }

    /// <param name="durable">False only for the benchmark that measures what durability costs.</param>
    public static void ConfigureChannels(this WolverineOptions opts, bool durable)
    {
        // Sends wait on providers' APIs: a queue of their own, with bounded parallelism, keeps them
        // from holding up the server's other local work.
        var queue = opts.LocalQueue(SendQueue).MaximumParallelMessages(20);
        if (durable) queue.UseDurableInbox();
        else queue.BufferedInMemory();
        opts.PublishMessage<DeliverReply>().ToLocalQueue(SendQueue);
    }

    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChannelOptions>()
            .BindWithRetrySchedule(configuration.GetSection(ChannelOptions.Section), nameof(ChannelOptions.RetryDelays), (options, delays) => options.RetryDelays = delays);
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<ConnectionSecrets>();
        services.AddSingleton<ConnectionLookup>();
        services.AddSingleton<StarterConnections>();
        services.AddScoped<ConnectionAdministration>();
        services.AddSingleton<ConnectorCatalog>();
        services.AddSingleton<IChannelConnector, SandboxConnector>();
        services.AddSingleton<IChannelConnector, AgentRelayConnector>();
        services.AddSingleton<SandboxDevice>();
        services.AddSingleton<IChannelInbox, ChannelInbox>();
        services.AddSingleton<IConversationFeed, ConversationFeed>();
        services.AddSingleton<InboundReceiptRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<InboundReceiptRetention>());
        return services;
    }
}
