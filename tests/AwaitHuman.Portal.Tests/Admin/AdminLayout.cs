namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The admin pages at a laptop's and a phone's width: nothing past the right edge, photographed.</summary>
static class AdminLayout
{
    /// <summary>Names what sticks out past the screen's right edge, none when nothing scrolls sideways.</summary>
    const string Wider = """
        () => document.documentElement.scrollWidth <= window.innerWidth ? [] :
          [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 12)
        """;

    public static async Task KeepAtBothWidthsAsync(IPage page, string name)
    {
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            // The resize reaches the page's layout (and MudBlazor's breakpoint listener) a frame or two later.
            await page.WaitForFunctionAsync($"() => window.innerWidth === {width}");
            await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250))))");
            (await page.EvaluateAsync<string[]>(Wider)).ShouldBeEmpty($"{name} scrolls sideways at {width} px");
            await Screenshots.KeepAsync(page, $"{name}-{width}");
        }
        await page.SetViewportSizeAsync(1440, 900);
    }
}
