using Twilio.Security;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// Twilio's request signature (<c>X-Twilio-Signature</c>), checked by the SDK's
/// <see cref="RequestValidator"/>: HMAC-SHA1 keyed with the account's auth token over the full URL
/// Twilio requested followed by the POST parameters sorted by name, the URL also tried with its
/// port toggled (Twilio may sign either form).
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>Whether <paramref name="signature"/> signs the parameters for one of <paramref name="urls"/>.</summary>
    public static bool IsValid(string authToken, string? signature, IEnumerable<string> urls, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature))
            return false;
        var validator = new RequestValidator(authToken);
        var signed = OneValuePerName(parameters);
        var valid = false;
        foreach (var url in urls.SelectMany(WithoutWrittenDefaultPort).Distinct(StringComparer.Ordinal))
            // No early exit: the time taken does not tell which URL matched.
            valid |= Validate(validator, url, signed, signature);
        return valid;
    }

    /// <summary>
    /// The URL, and without its port when it writes the scheme's default one (<c>:443</c>): the
    /// validator drops a port only when it is not the default, since <see cref="Uri"/> hides a
    /// written default port from it.
    /// </summary>
    static IEnumerable<string> WithoutWrittenDefaultPort(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsDefaultPort)
            yield break;
        var authorityStart = uri.Scheme.Length + "://".Length;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart) is var end and >= 0 ? end : url.Length;
        var port = $":{uri.Port}";
        if (url[authorityStart..authorityEnd].EndsWith(port, StringComparison.Ordinal))
            yield return url[..(authorityEnd - port.Length)] + url[authorityEnd..];
    }

    static bool Validate(RequestValidator validator, string url, Dictionary<string, string> parameters, string signature)
    {
        try
        {
            return validator.Validate(url, parameters, signature);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            // The port variant of a URL the SDK cannot rebuild: no signature can match it.
            return false;
        }
    }

    /// <summary>
    /// Twilio signs each value of a repeated name, name and value in turn, values in order; the
    /// validator takes one value a name, so the later values join the first with the name between.
    /// </summary>
    static Dictionary<string, string> OneValuePerName(IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        parameters.GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(name => name.Key, name => string.Join(name.Key, name.Select(p => p.Value).Order(StringComparer.Ordinal)), StringComparer.Ordinal);
}
