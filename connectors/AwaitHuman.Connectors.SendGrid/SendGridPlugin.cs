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
        services.AddHttpClient(SendGridConnector.HttpClientName);
        services.AddSingleton<IChannelConnector, SendGridConnector>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var sendGrid = endpoints.MapGroup($"/connectors/{SendGridConnection.Provider}/{{connection:guid}}").ExcludeFromDescription();
        sendGrid.MapPost($"/{SendGridConnection.InboundWebhook}", InboundParseEndpoint.HandleAsync).DisableAntiforgery();
        sendGrid.MapPost($"/{SendGridConnection.EventsWebhook}", EventWebhookEndpoint.HandleAsync);
    }
}
