using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Testing.Fakes;

/// <summary>
/// Twilio's side of <c>X-Twilio-Signature</c>, as Twilio documents it under "Validating requests":
/// base64 of HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio requested
/// (query included) followed by every POST parameter sorted by name, name and value without
/// separators. Written apart from the server's validator (the Twilio SDK's), so each checks the other.
/// </summary>
public static class TwilioWebhookSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        // Ordinal order, as Twilio sorts; a repeated name contributes each value in order.
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
