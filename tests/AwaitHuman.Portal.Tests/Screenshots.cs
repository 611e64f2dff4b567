using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests;

/// <summary>Screenshots kept as test artifacts, in <c>TestResults/screenshots/portal/</c> at the repository root.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryLayout.Root, "TestResults", "screenshots", "portal");

    public static async Task KeepAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"{name}.png"), FullPage = true });
    }
}
