using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Account;

/// <summary>The sign-up form under the API's per-address limit, on a server of its own with a limit of one.</summary>
public sealed class SignupRateLimitTests(Chromium chromium) : IAsyncLifetime
{
    AwaitHumanApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("signup_rate_limit");
        _app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string> { ["RateLimits:SignupPerAddressPerHour"] = "1" });
    }

    [Fact]
    public async Task Past_the_limit_the_form_says_how_long_to_wait_and_keeps_what_was_typed()
    {
        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Past_the_limit_the_form_says_how_long_to_wait_and_keeps_what_was_typed), async browser =>
        {
            var page = await browser.NewPageAsync();
            for (var attempt = 0; attempt < 2; attempt++)
            {
                await page.GotoAsync("/signup");
                await page.GetByLabel("Company name").FillAsync($"Limited {attempt}");
                await page.GetByLabel("Work email").FillAsync($"owner-{attempt}-{Guid.NewGuid():N}@limited.test");
                await page.GetByLabel("Password").FillAsync(TestTenants.Password);
                var answer = await page.RunAndWaitForResponseAsync(
                    () => page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync(), response => response.Request.Method == "POST");
                answer.Status.ShouldBe(attempt == 0 ? 200 : 429);
            }

            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Too many attempts from your network\. Please wait \d+ minutes and try again\.$"));
            await Expect(page.GetByLabel("Company name")).ToHaveValueAsync("Limited 1");
            await Screenshots.KeepAsync(page, "signup-rate-limited");
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
