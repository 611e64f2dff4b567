using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// The one HTTP client webhooks go out through. It resolves names itself and connects only to
/// addresses <see cref="OutboundAddresses"/> allows, follows no redirects, uses no proxy and has no
/// retry handler of its own: retries are the durable ones of <see cref="DeliverWebhookHandler"/>,
/// each attempt logged.
/// </summary>
public static class WebhookHttp
{
    public const string ClientName = "webhooks";
    public const string UserAgent = "AwaitHuman-Webhooks/1.0";

    public static IServiceCollection AddWebhookHttpClient(this IServiceCollection services)
    {
        var builder = services.AddHttpClient(ClientName, (provider, client) =>
            {
                client.Timeout = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AttemptTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var allowPrivate = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    // A proxy would make the connection, and our address check would see only the proxy.
                    UseProxy = false,
                    UseCookies = false,
                    ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowPrivate, ct),
                };
            });
        // The standard handler every client gets would retry a 500 in memory and hide those attempts.
#pragma warning disable EXTEXP0001 // Experimental, yet the only way to take out handlers ConfigureHttpClientDefaults added.
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }

    static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(OutboundAddresses.IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new RefusedAddressException(
                // The delivery log is the tenant's to read: it names the host the tenant gave, never what it resolved to.
                $"Refused to connect to {host}: the address is not allowed (webhooks may not reach loopback, link-local, private or reserved addresses).");

        // Dual-mode, so IPv4 and IPv6 addresses both connect through it.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
