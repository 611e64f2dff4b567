namespace AwaitHuman.Core.SingleSignOn;

/// <summary>
/// The browser's addresses of a tenant's single sign-on, by slug: the callback is the redirect URI the
/// owner registers at the identity provider, so it names the tenant and the sign-in options follow from it.
/// </summary>
public static class SsoPaths
{
    public const string Prefix = "/account/sso";

    public static string Start(string slug) => $"{Prefix}/{Uri.EscapeDataString(slug)}/start";

    public static string Callback(string slug) => $"{Prefix}/{Uri.EscapeDataString(slug)}/callback";

    /// <summary>The tenant slug of a path under <see cref="Prefix"/>, or null.</summary>
    public static string? SlugOf(string path)
    {
        if (!path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase)) return null;
        var rest = path[(Prefix.Length + 1)..];
        var slash = rest.IndexOf('/');
        return slash > 0 ? Uri.UnescapeDataString(rest[..slash]) : null;
    }
}
