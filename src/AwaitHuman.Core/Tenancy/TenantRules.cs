using System.Globalization;
using System.Text.RegularExpressions;

namespace AwaitHuman.Core.Tenancy;

/// <summary>What a tenant's name and slug may be.</summary>
public static partial class TenantRules
{
    /// <summary>Paths and words a slug may not take, so URLs that carry slugs stay unambiguous.</summary>
    static readonly HashSet<string> Reserved =
        ["admin", "api", "app", "auth", "connect", "docs", "health", "help", "login", "portal", "sandbox", "signup", "static", "status", "support", "www"];

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")]
    private static partial Regex SlugPattern();

    public static string? SlugProblem(string? slug) =>
        string.IsNullOrWhiteSpace(slug) ? "The slug is required."
        : !SlugPattern().IsMatch(slug) ? "A slug is 3 to 40 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
        : slug.Contains("--") ? "A slug may not contain two hyphens in a row."
        : Reserved.Contains(slug) ? $"The slug '{slug}' is reserved."
        : null;

    public const string DefaultTimeZone = "UTC";
    public const string DefaultLocale = "en-US";

    /// <summary>The IANA zone by that name (checked against the system's time zone database), or null.</summary>
    public static TimeZoneInfo? IanaZone(string? id) =>
        id is { Length: > 0 and <= 64 } && TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public static string? TimeZoneProblem(string? id) =>
        string.IsNullOrWhiteSpace(id) ? "The time zone is required."
        : IanaZone(id.Trim()) is null ? $"'{id}' is not an IANA time zone; use a name such as Europe/Berlin or America/New_York."
        : null;

    /// <summary>A culture the system knows by that name (en-US, de-DE, pt-BR), not the invariant one, or null.</summary>
    public static CultureInfo? KnownCulture(string? name)
    {
        if (name is not { Length: >= 2 and <= 35 } || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return null;
        try
        {
            var culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return culture.Name.Length == 0 ? null : culture;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    public static string? LocaleProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "The locale is required."
        : KnownCulture(name.Trim()) is null ? $"'{name}' is not a known locale; use a name such as en-US, de-DE or pt-BR."
        : null;

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "The name is required."
        : name.Trim().Length is < 2 or > 100 ? "The name is 2 to 100 characters."
        : null;

    /// <summary>The status as the API and the command line spell it.</summary>
    public static string StatusName(TenantStatus status) => status switch
    {
        TenantStatus.PendingVerification => "pending_verification",
        TenantStatus.Suspended => "suspended",
        _ => "active",
    };
}
