using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Connectors;

/// <summary>
/// The entry point of a connector assembly. The server finds every <c>AwaitHuman.Connectors.*.dll</c>
/// beside it, creates each public <see cref="IConnectorPlugin"/> with its parameterless constructor,
/// lets it register services (its <see cref="IChannelConnector"/>s, typed HttpClients, options)
/// and map its provider webhooks. The core never references a provider project.
/// </summary>
public interface IConnectorPlugin
{
    /// <summary>Registers the connector's services; <paramref name="configuration"/> is the host's whole configuration.</summary>
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>
    /// Maps the provider's webhooks under <c>/connectors/{provider}/{connection}/...</c>. Every
    /// handler authenticates the provider's signature with the connection's secret before it hands
    /// anything to <see cref="IChannelInbox"/>.
    /// </summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
