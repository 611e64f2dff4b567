using System.Net;
using System.Net.Sockets;

namespace AwaitHuman.Core.Webhooks;

/// <summary>
/// The rules for an endpoint's URL, checked when it is registered or changed. Sending checks the
/// connected address again (<see cref="WebhookHttp"/>): names can change what they resolve to.
/// </summary>
public static class WebhookUrls
{
    public const int MaxLength = 2048;
    static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>What is wrong with <paramref name="url"/>, or null.</summary>
    public static async Task<string?> ProblemAsync(string? url, bool allowPrivateNetworks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url)) return "The url is required.";
        if (url.Length > MaxLength) return $"The url is at most {MaxLength} characters.";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "The url must be an absolute https URL.";
        if (uri.Scheme == "http" && !allowPrivateNetworks) return "The url must use https.";
        if (uri.UserInfo.Length > 0) return "The url must not carry a user name or password; the signature authenticates the request.";
        if (uri.Fragment.Length > 0) return "The url must not have a fragment.";
        if (allowPrivateNetworks) return null;

        if (OutboundAddresses.IsLocalName(uri.IdnHost)) return "The url must not point at this machine (localhost).";
        var addresses = await ResolveAsync(uri.IdnHost, ct);
        // Never which address: a tenant must not learn what names resolve to inside, nor this server's own interfaces.
        return addresses.Any(address => !OutboundAddresses.IsPublic(address))
            ? "The url's host is not allowed: webhooks may not reach loopback, link-local, private or reserved addresses."
            : null;
    }

    /// <summary>
    /// The host's addresses, or none when it does not resolve (yet): that is no reason to refuse an
    /// endpoint, as every attempt checks again.
    /// </summary>
    static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var literal)) return [literal];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            return await Dns.GetHostAddressesAsync(bare, timeout.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return [];
        }
    }
}
