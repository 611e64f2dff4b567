using Microsoft.Playwright;

namespace AwaitHuman.Testing;

/// <summary>The operator console as Chromium meets it: signing in on the sign-in page, and knowing when a page is live.</summary>
public static class ConsolePages
{
    /// <summary>
    /// Blazor replaces the prerendered markup on its first interactive render (it clears the
    /// prerendered content and renders afresh); until then a click does nothing. A page is interactive
    /// once its heading is one the parser did not put there, or a prerendered heading was removed.
    /// </summary>
    const string InteractivityProbe = """
        (() => {
          const parsed = new WeakSet();
          let cleared = false;
          const headingsIn = node => node.nodeType !== 1 ? [] : node.tagName === "H1" ? [node] : [...node.querySelectorAll("h1")];
          new MutationObserver(records => {
            for (const record of records) {
              for (const node of record.removedNodes) if (headingsIn(node).length > 0) cleared = true;
              if (document.readyState === "loading") for (const node of record.addedNodes) headingsIn(node).forEach(h => parsed.add(h));
            }
          }).observe(document, { childList: true, subtree: true });
          window.awaitHumanTests = {
            interactive: () => { const heading = document.querySelector("h1"); return heading !== null && (cleared || !parsed.has(heading)); },
          };
        })();
        """;

    /// <summary>A browser context for one person on <paramref name="app"/>: no cookies yet, a laptop-sized window, the interactivity probe.</summary>
    /// <param name="timeZone">The browser's clock's IANA zone; the machine's when left out.</param>
    public static async Task<IBrowserContext> NewPersonAsync(this Chromium chromium, AwaitHumanApp app, string? timeZone = null)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-GB",
            TimezoneId = timeZone,
        });
        await context.AddInitScriptAsync(InteractivityProbe);
        return context;
    }

    /// <summary>Signs in on the sign-in page as a person would, then waits for the console's inbox, live.</summary>
    public static async Task SignInAsync(IPage page, string email, string password, string? tenant = null)
    {
        await page.GotoAsync("/account/login");
        await FillSignInAsync(page, email, password, tenant);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await WaitUntilInteractiveAsync(page);
    }

    public static async Task FillSignInAsync(IPage page, string email, string password, string? tenant = null)
    {
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        if (tenant is not null) await page.GetByLabel("Tenant").FillAsync(tenant);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens a console address and waits until the page is live (its circuit rendered).</summary>
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync(page);
    }

    public static async Task WaitUntilInteractiveAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => window.awaitHumanTests && window.awaitHumanTests.interactive()", null, new() { Timeout = 10_000 });
}
