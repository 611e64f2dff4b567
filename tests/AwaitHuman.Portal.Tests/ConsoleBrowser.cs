using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests;

/// <summary>
/// One test's browsers: each person (operator, simulated customer) in a browser context of their own,
/// so cookies never mix. On failure every open page is photographed before the contexts close.
/// </summary>
public sealed class ConsoleBrowser(Chromium chromium, AwaitHumanApp app, string test) : IAsyncDisposable
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

    readonly List<IBrowserContext> _contexts = [];

    public AwaitHumanApp App => app;

    /// <summary>Runs <paramref name="body"/> with a browser of its own; on failure keeps a screenshot of every page it opened.</summary>
    public static async Task RunAsync(Chromium chromium, AwaitHumanApp app, string test, Func<ConsoleBrowser, Task> body)
    {
        await using var browser = new ConsoleBrowser(chromium, app, test);
        try
        {
            await body(browser);
        }
        catch
        {
            await browser.KeepFailureAsync();
            throw;
        }
    }

    /// <summary>A new person's first page: a fresh context (no cookies), a laptop-sized window.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-GB",
        });
        await context.AddInitScriptAsync(InteractivityProbe);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in on the sign-in page as a person would and waits for the console's inbox, live.</summary>
    public async Task<IPage> SignInAsync(string email, string password, string? tenant = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await FillSignInAsync(page, email, password, tenant);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
        await WaitUntilInteractiveAsync(page);
        return page;
    }

    public Task<IPage> SignInAsync(TestMember member, string? tenant = null) => SignInAsync(member.Email, member.Password, tenant);

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
        await page.WaitForFunctionAsync("() => window.awaitHumanTests.interactive()", null, new() { Timeout = 10_000 });

    async Task KeepFailureAsync()
    {
        var number = 0;
        foreach (var page in _contexts.SelectMany(context => context.Pages))
        {
            try { await Screenshots.KeepAsync(page, $"{test}-failed-{++number}"); }
            catch (PlaywrightException) { /* a closed page has nothing to show */ }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
    }
}
