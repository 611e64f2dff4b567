using AwaitHuman.Connectors.SendGrid.Events;
using AwaitHuman.Connectors.SendGrid.Inbound;
using AwaitHuman.Connectors.SendGrid.Sending;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AwaitHuman.Connectors.SendGrid;

/// <summary>Email through SendGrid: Mail Send out, Inbound Parse and the Event Webhook in.</summary>
public sealed class SendGridPlugin : IConnectorPlugin
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        // No retry handler: a failed send goes back to the durable pipeline, which retries with backoff.
        // The host's standard handler would retry a 500 or 429 in memory on top of that.
        var http = services.AddHttpClient(SendGridConnector.HttpClientName);
#pragma warning disable EXTEXP0001 // Experimental, yet the only way to take out handlers ConfigureHttpClientDefaults added.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddSingleton<IChannelConnector, SendGridConnector>();
        if (configuration.GetSection(SendGridOptions.Section).Get<SendGridOptions>()?.PlatformMail.IsConfigured == true)
            services.AddSingleton<IPlatformMailTransport, SendGridPlatformMail>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var sendGrid = endpoints.MapGroup($"/connectors/{SendGridConnection.Provider}/{{connection:guid}}").ExcludeFromDescription();
        sendGrid.MapPost($"/{SendGridConnection.InboundWebhook}", InboundParseEndpoint.HandleAsync).DisableAntiforgery();
        sendGrid.MapPost($"/{SendGridConnection.EventsWebhook}", EventWebhookEndpoint.HandleAsync);
    }
}
