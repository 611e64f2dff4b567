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
