using AwaitHuman.Portal.Tests.Shell;

namespace AwaitHuman.Portal.Tests.Onboarding;

/// <summary>The checklist's screenshots at a laptop's and a phone's width.</summary>
public static class Widths
{
    /// <summary>Names what sticks out past the screen's right edge, none when nothing scrolls sideways.</summary>
    const string Wider = """
        () => document.documentElement.scrollWidth <= window.innerWidth ? [] :
          [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 12)
        """;

    /// <summary>Keeps the page at 1440 and 390 px wide, failing if it scrolls sideways on either, and leaves it at 1440.</summary>
    public static async Task KeepAtBothWidthsAsync(IPage page, string name)
    {
        foreach (var (width, height) in new[] { (390, 844), (1440, 900) })
        {
            await page.SetViewportSizeAsync(width, height);
            // The drawer slides and a click's ripple fades for a moment after a resize: judge the settled page.
            try { await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new() { Timeout = 3_000 }); }
            catch (TimeoutException) { /* named below */ }
            (await page.EvaluateAsync<string[]>(Wider)).ShouldBeEmpty($"{name} scrolls sideways at {width} px");
            await Axe.NoSeriousViolationsAsync(page, $"{name} at {width} px");
            await Screenshots.KeepAsync(page, $"{name}-{width}");
        }
    }
}
