using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace AwaitHuman.Core.Channels;

/// <summary>
/// The address providers call back and customers open (status callbacks, sandbox device pages):
/// <c>AwaitHuman:PublicUrl</c> when set (required behind a proxy or in production), else the
/// server's first listening address.
/// </summary>
public sealed class PublicUrls(IConfiguration configuration, IServer server)
{
    public Uri BaseUrl
    {
        get
        {
            var configured = configuration["AwaitHuman:PublicUrl"];
            var url = !string.IsNullOrWhiteSpace(configured)
                ? configured
                : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
            return new Uri(url.EndsWith('/') ? url : url + "/");
        }
    }
}
