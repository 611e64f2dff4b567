using AwaitHuman.Connectors;
using Microsoft.AspNetCore.DataProtection;

namespace AwaitHuman.Core.Channels.Sandbox;

/// <summary>Whose simulated device a page shows: one customer address on one channel of one sandbox connection.</summary>
public sealed record SandboxAddress(string TenantId, Guid ConnectionId, string Channel, string Address);

/// <summary>
/// Links to the simulated customer device. The link's token names the tenant, connection, channel
/// and address, protected by Data Protection: holding the link is what lets a person read and answer
/// as that customer, and it cannot be edited to reach another tenant's customer.
/// </summary>
public sealed class SandboxDevice(IDataProtectionProvider provider, PublicUrls urls)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("AwaitHuman.Channels.SandboxDevice").ToTimeLimitedDataProtector();

    public string TokenFor(string tenantId, Guid connectionId, string channel, string address) =>
        _protector.Protect(string.Join('\n', tenantId, connectionId, channel, address), Lifetime);

    public Uri UrlFor(string tenantId, Guid connectionId, string channel, string address) =>
        new(urls.BaseUrl, $"sandbox/device?token={Uri.EscapeDataString(TokenFor(tenantId, connectionId, channel, address))}");

    public SandboxAddress? Read(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var parts = _protector.Unprotect(token).Split('\n');
            return parts.Length == 4 && Guid.TryParse(parts[1], out var connectionId) && ChannelKinds.All.Contains(parts[2])
                ? new SandboxAddress(parts[0], connectionId, parts[2], parts[3])
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
