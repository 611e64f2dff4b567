using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AwaitHuman.Server.Hosting;

/// <summary>
/// Behind a reverse proxy that ends TLS, the scheme, host and client address the world used
/// arrive as <c>X-Forwarded-Proto</c>, <c>-Host</c> and <c>-For</c>. Provider signatures cover
/// the public URL (Twilio's), and rate limits key on the client address, so the server takes
/// them, but only from proxies it trusts: loopback by default, more under
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c>
/// (CIDR), optionally limited to <c>ForwardedHeaders:AllowedHosts</c>.
/// </summary>
public static class ProxyHeaders
{
    public const string Section = "ForwardedHeaders";

    public static WebApplicationBuilder AddProxyHeaders(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            if (section.GetSection("AllowedHosts").Get<string[]>() is { Length: > 0 } hosts)
                options.AllowedHosts = hosts;
        });
        return builder;
    }
}
