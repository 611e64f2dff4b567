using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests;

/// <summary>
/// One test's browsers: each person (operator, simulated customer) in a browser context of their own,
/// so cookies never mix. On failure every open page is photographed before the contexts close, and
/// what the pages wrote to the browser console (where Blazor reports a circuit's exception) is kept beside.
/// </summary>
public sealed class ConsoleBrowser(Chromium chromium, AwaitHumanApp app, string test) : IAsyncDisposable
{
    readonly List<IBrowserContext> _contexts = [];
    readonly List<string> _console = [];

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

    /// <summary>A new person's first page, with no cookies.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await chromium.NewPersonAsync(app);
        _contexts.Add(context);
        var person = _contexts.Count;
        context.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning") lock (_console) _console.Add($"[person {person}] {message.Type}: {message.Text} ({message.Location})");
        };
        context.Response += (_, response) =>
        {
            if (response.Status >= 400) lock (_console) _console.Add($"[person {person}] {response.Status} {response.Request.Method} {response.Url}");
        };
        return await context.NewPageAsync();
    }

    /// <summary>A new person signed in on the sign-in page, in their live inbox.</summary>
    public async Task<IPage> SignInAsync(TestMember member, string? tenant = null)
    {
        var page = await NewPageAsync();
        await ConsolePages.SignInAsync(page, member.Email, member.Password, tenant);
        return page;
    }

    async Task KeepFailureAsync()
    {
        var number = 0;
        foreach (var page in _contexts.SelectMany(context => context.Pages))
        {
            try { await Screenshots.KeepAsync(page, $"{test}-failed-{++number}"); }
            catch (PlaywrightException) { /* a closed page has nothing to show */ }
        }
        Directory.CreateDirectory(Screenshots.Folder);
        lock (_console) File.WriteAllLines(Path.Combine(Screenshots.Folder, $"{test}-failed-console.txt"), _console);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
    }
}
