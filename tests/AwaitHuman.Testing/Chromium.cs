using Microsoft.Playwright;

namespace AwaitHuman.Testing;

/// <summary>
/// Debian's Chromium driven by Playwright (Playwright's own browser download is not used):
/// headless, no sandbox (tests run as root in CI), no background traffic. One copy for every
/// browser test: the web chat widget's tests compile this file in, the others reference it here.
/// </summary>
public sealed class Chromium : Xunit.IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is missing at {ExecutablePath}: apt-get install chromium (./awaithuman test installs it when run as root).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Runs <paramref name="test"/> on a new page; on failure keeps a screenshot beside the test assembly.</summary>
    public async Task OnPageAsync(string name, Func<IPage, Task> test)
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
        }
        catch
        {
            var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(folder, $"{name}.png"), FullPage = true });
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
