using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Shell;

/// <summary>
/// The account pages (served without the console around them) fit a phone and a desktop: the card
/// never reaches past the screen's edge, so nothing scrolls sideways.
/// </summary>
public sealed class AccountPagesOnEveryWidthTests(PortalTestsHost host, Chromium chromium)
{
    [Theory]
    [InlineData("sign-in", "/account/login")]
    [InlineData("forgot-password", "/account/forgot-password")]
    [InlineData("reset-password", "/account/reset-password?email=ada%40example.com&code=123456")]
    public async Task An_account_page_fits_390_and_1440_pixels(string name, string address)
    {
        await ConsoleBrowser.RunAsync(chromium, host.App, $"{nameof(An_account_page_fits_390_and_1440_pixels)}-{name}", async browser =>
        {
            var page = await browser.NewPageAsync();
            foreach (var (width, height) in new[] { (390, 844), (1440, 900) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.GotoAsync(address);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

                var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
                widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{address} at {width} px scrolls sideways");
                var card = await page.Locator("main").BoundingBoxAsync();
                card.ShouldNotBeNull();
                (card.X + card.Width).ShouldBeLessThanOrEqualTo(width, $"{address}'s card reaches past the right edge at {width} px");
                card.X.ShouldBeGreaterThanOrEqualTo(0);
                await Screenshots.KeepAsync(page, $"{name}-{width}");
            }
        });
    }
}
