using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AwaitHuman.Server.Hosting;

/// <summary>Tells whoever started the server where to point a browser.</summary>
sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
                logger.LogInformation("AwaitHuman is ready: API docs {Address}/docs, health {Address}/health/ready, API {Address}/v1", address, address, address);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
