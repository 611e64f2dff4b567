using System.Net;
using System.Net.Sockets;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// Which addresses a tenant's webhook may reach (SSRF protection): public unicast only, unless
/// <see cref="WebhookOptions.AllowPrivateNetworks"/>. The check runs on the address actually
/// connected to, so a name that resolves somewhere else later (DNS rebinding) is caught too.
/// </summary>
public static class OutboundAddresses
{
    static readonly IPNetwork[] Refused =
    [
        // IPv4: "this network" (0.0.0.0 included), private, shared (CGNAT), loopback, link-local,
        // protocol assignments, documentation, 6to4 relay, benchmarking, multicast, reserved, broadcast.
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        // IPv6: unspecified, loopback and the deprecated IPv4-compatible block (::/96 holds both),
        // discard-only, documentation, unique-local, link-local, site-local, multicast.
        IPNetwork.Parse("::/96"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    // IPv6 prefixes that carry an IPv4 address a gateway would connect to: NAT64 and 6to4.
    static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address)) return IsPublic(new IPAddress(bytes[12..16]));
            if (SixToFour.Contains(address)) return IsPublic(new IPAddress(bytes[2..6]));
        }
        return !Refused.Any(network => network.Contains(address));
    }

    /// <summary>Names that always mean this machine, whatever DNS says.</summary>
    public static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost.", StringComparison.OrdinalIgnoreCase)
        || host.Equals("localhost.", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A connection the SSRF rules refused (HttpClient wraps it in an HttpRequestException); the attempt is logged with its message.</summary>
public sealed class RefusedAddressException(string message) : IOException(message);
