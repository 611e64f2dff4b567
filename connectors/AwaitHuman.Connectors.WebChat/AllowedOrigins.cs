namespace AwaitHuman.Connectors.WebChat;

/// <summary>
/// The connection's <c>allowed_origins</c> setting: the sites (scheme, host and port, no path)
/// whose pages may call the widget's API, separated by commas or spaces.
/// </summary>
public static class AllowedOrigins
{
    public const string Setting = "allowed_origins";

    public static IReadOnlyList<string> Parse(string setting) =>
        setting.Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The problem with the setting, or null when every entry is an origin.</summary>
    public static string? Problem(string setting)
    {
        var origins = Parse(setting);
        if (origins.Count == 0) return "List at least one origin, e.g. https://www.example.com.";
        var wrong = origins.FirstOrDefault(origin => Normalise(origin) is null);
        return wrong is null
            ? null
            : $"'{wrong}' is not an origin: give the scheme (https or http), the host and an optional port, without a path, e.g. https://www.example.com.";
    }

    /// <summary>Whether a browser's <c>Origin</c> header names one of the allowed sites.</summary>
    public static bool Allows(string setting, string origin) =>
        Normalise(origin) is { } asked && Parse(setting).Any(allowed => Normalise(allowed) == asked);

    /// <summary><c>scheme://host[:port]</c> in lower case with the default port left out; null for anything else.</summary>
    static string? Normalise(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("https" or "http")) return null;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return null;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }
}
