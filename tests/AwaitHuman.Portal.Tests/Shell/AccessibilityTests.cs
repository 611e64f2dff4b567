using AwaitHuman.Portal.Tests.Inbox;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Shell;

/// <summary>
/// The main screens on a laptop and on a tablet: every control has a name a screen reader reads,
/// text meets WCAG AA contrast against what is behind it, nothing forces a tab order of its own,
/// and nothing scrolls sideways.
/// </summary>
public sealed class AccessibilityTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    /// <summary>
    /// Colours are read once the page's transitions have ended (a tab that just became current fades to
    /// its colours); animations that never end, such as a progress spinner, do not count.
    /// </summary>
    static async Task<string[]> AuditAsync(IPage page)
    {
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        return await page.EvaluateAsync<string[]>(Audit);
    }

    /// <summary>Problems on the page as text, none when it passes. Disabled controls are exempt from contrast, as WCAG says.</summary>
    const string Audit = """
        () => {
          const visible = e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed';
          const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(parseFloat); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const blend = (fg, bg) => ({ r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1 });
          const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
          const behind = el => {
            const layers = [];
            for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a === 1) break; } }
            return layers.reverse().reduce((bg, layer) => blend(layer, bg), { r: 255, g: 255, b: 255, a: 1 });
          };
          const problems = [];
          for (const control of document.querySelectorAll('input:not([type=hidden]), textarea, select, button, a[href]')) {
            if (!visible(control)) continue;
            const named = (control.labels && control.labels.length > 0) || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby') || control.textContent.trim() || control.title;
            if (!named) problems.push('unnamed: ' + control.outerHTML.slice(0, 100));
          }
          for (const e of document.querySelectorAll('[tabindex]')) if (parseInt(e.getAttribute('tabindex')) > 0) problems.push('own tab order: ' + e.outerHTML.slice(0, 100));
          for (const el of document.querySelectorAll('body *')) {
            // Text only screen readers get (clipped to a pixel) has no contrast to meet.
            if (!visible(el) || el.getBoundingClientRect().width <= 1 || el.closest('[disabled], .mud-disabled, [aria-disabled=true]')) continue;
            const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
            const style = getComputedStyle(el);
            if (!text || style.visibility === 'hidden' || style.opacity === '0') continue;
            const bg = behind(el), fg = blend(parse(style.color), bg);
            const ratio = (Math.max(luminance(fg), luminance(bg)) + 0.05) / (Math.min(luminance(fg), luminance(bg)) + 0.05);
            const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && parseInt(style.fontWeight) >= 700);
            if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: "${text.slice(0, 40)}" ${style.color}`);
          }
          if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
          return problems;
        }
        """;

    [Theory]
    [InlineData("laptop", 1366, 900)]
    [InlineData("tablet", 820, 1180)]
    public async Task The_inbox_and_an_escalation_are_accessible(string device, int width, int height)
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var customer = ConsoleScenarios.CustomerName("Lena");
        var id = await _app.OpenEscalationAsync(tenant, customer);

        await ConsoleBrowser.RunAsync(chromium, _app, $"{nameof(The_inbox_and_an_escalation_are_accessible)}-{device}", async browser =>
        {
            var page = await InboxKeys.SignInAsync(browser, member);
            await page.SetViewportSizeAsync(width, height);
            await ConsolePages.GoToAsync(page, "/?view=unassigned");
            await Expect(page.Locator($"tr[data-escalation='{id}']")).ToBeVisibleAsync();
            (await AuditAsync(page)).ShouldBeEmpty();
            await Screenshots.KeepAsync(page, $"inbox-{device}");

            await page.GetByRole(AriaRole.Link, new() { Name = customer }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Why the AI escalated" })).ToBeVisibleAsync();
            (await AuditAsync(page)).ShouldBeEmpty();
            await Screenshots.KeepAsync(page, $"escalation-{device}");

            // Keyboard only: Enter opens the selected row.
            await InboxKeys.ShowUnassignedListeningAsync(page);
            await Expect(page.Locator($"tr[data-escalation='{id}']")).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/escalations/{id}$"));
        });
    }
}
