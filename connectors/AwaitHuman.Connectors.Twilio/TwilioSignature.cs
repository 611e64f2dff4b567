using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// Twilio's request signature (<c>X-Twilio-Signature</c>), as Twilio documents it under "Validating
/// requests": base64 of HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio
/// requested (query included) followed by every POST parameter sorted by name, name and value
/// concatenated without separators. Written here because the Twilio SDK is not available.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        // Ordinal order, as Twilio sorts; a repeated name (rare) contributes each value in order.
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            data.Append(name).Append(value);
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> signs the parameters for one of <paramref name="urls"/>,
    /// each tried as given, without its port and with its port (the scheme's default when none is
    /// written), as Twilio's own validators do: Twilio may sign either form.
    /// </summary>
    public static bool IsValid(string authToken, string? signature, IEnumerable<string> urls, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature))
            return false;
        var given = Encoding.ASCII.GetBytes(signature);
        var valid = false;
        foreach (var url in urls.SelectMany(PortVariants).Distinct(StringComparer.Ordinal))
            // No early exit: the time taken does not tell which form matched.
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(authToken, url, parameters)), given);
        return valid;
    }

    /// <summary>The URL as given, without a port and with one, the rest of it untouched.</summary>
    public static IEnumerable<string> PortVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown)
            yield break;
        var authorityStart = uri.Scheme.Length + "://".Length;
        var pathStart = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var rest = pathStart < 0 ? "" : url[pathStart..];
        var userInfo = uri.UserInfo.Length > 0 ? uri.UserInfo + "@" : "";
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        yield return $"{uri.Scheme}://{userInfo}{host}{rest}";
        yield return $"{uri.Scheme}://{userInfo}{host}:{uri.Port}{rest}";
    }
}
