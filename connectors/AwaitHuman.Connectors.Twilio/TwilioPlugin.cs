using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>Registers the Twilio connector (SMS and WhatsApp) and maps its webhooks.</summary>
public sealed class TwilioPlugin : IConnectorPlugin
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        // The SDK's requests go through this client; each send sets its deadline (TwilioOptions.SendTimeout).
        var http = services.AddHttpClient(TwilioConnector.HttpClientName)
            .AddHttpMessageHandler(provider => new TwilioApiAddress(provider.GetRequiredService<IOptions<TwilioOptions>>()));
        // The host's standard handler would retry a 500 or 429 in memory, on top of the core's
        // durable retries of RetryLater (and could send a message twice within one attempt).
#pragma warning disable EXTEXP0001 // Experimental, yet the only way to take out handlers ConfigureHttpClientDefaults added.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddSingleton<TwilioConnector>();
        services.AddSingleton<IChannelConnector>(provider => provider.GetRequiredService<TwilioConnector>());
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => TwilioWebhooks.Map(endpoints);
}
