using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Connectors.SendGrid;

/// <summary>
/// The per-escalation address customers answer to: <c>reply+{escalation id}.{tag}@{inbound domain}</c>,
/// where the tag is a truncated HMAC-SHA256 of the escalation id under the connection's
/// <c>reply_address_key</c>. Knowing one escalation's id (or address) gives no valid address for
/// another, so an inbound email cannot be steered into someone else's escalation.
/// </summary>
public static class ReplyAddresses
{
    private const string Prefix = "reply+";

    /// <summary>80 bits: far beyond online guessing, and the local part stays under 64 characters.</summary>
    private const int TagBytes = 10;

    public static string For(Guid escalationId, string inboundDomain, string key) =>
        $"{Prefix}{escalationId:N}.{Tag(escalationId, key)}@{inboundDomain.ToLowerInvariant()}";

    /// <summary>
    /// The escalation <paramref name="address"/> answers to, when it is a reply address on
    /// <paramref name="inboundDomain"/>; <see cref="ReplyAddressMatch.Forged"/> when it has the form
    /// but not a valid tag.
    /// </summary>
    public static ReplyAddressMatch Read(string address, string inboundDomain, string key)
    {
        var at = address.LastIndexOf('@');
        if (at < 0 || !address[(at + 1)..].Equals(inboundDomain, StringComparison.OrdinalIgnoreCase))
            return ReplyAddressMatch.None;
        var local = address[..at];
        if (!local.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return ReplyAddressMatch.None;
        var parts = local[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var escalationId))
            return ReplyAddressMatch.Forged;
        var expected = Encoding.ASCII.GetBytes(Tag(escalationId, key));
        var given = Encoding.ASCII.GetBytes(parts[1].ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? ReplyAddressMatch.Escalation(escalationId)
            : ReplyAddressMatch.Forged;
    }

    private static string Tag(Guid escalationId, string key)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(escalationId.ToString("N")));
        // Lower-case hex: some mail systems lower-case local parts.
        return Convert.ToHexStringLower(mac.AsSpan(0, TagBytes));
    }
}

/// <param name="EscalationId">Set when the address is a valid reply address.</param>
/// <param name="IsForged">The address looks like a reply address but its tag is wrong.</param>
public sealed record ReplyAddressMatch(Guid? EscalationId, bool IsForged)
{
    public static readonly ReplyAddressMatch None = new(null, false);
    public static readonly ReplyAddressMatch Forged = new(null, true);
    public static ReplyAddressMatch Escalation(Guid id) => new(id, false);
}
