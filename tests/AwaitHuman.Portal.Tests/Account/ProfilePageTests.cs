using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;
using OtpNet;

namespace AwaitHuman.Portal.Tests.Account;

/// <summary>
/// The profile: display name, time zone (the browser's on the first visit), notices, tokens, password
/// and two-factor sign-in, each through the page as a person uses it, checked against the API.
/// </summary>
public sealed class ProfilePageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement> ProfileAsync(HttpClient person)
    {
        using var response = await person.GetAsync("/v1/me/profile", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    /// <summary>A browser whose clock is in <paramref name="zone"/>, signed in as <paramref name="member"/>, in the inbox.</summary>
    async Task<(IBrowserContext Context, IPage Page)> SignInFromAsync(TestMember member, string zone)
    {
        var context = await chromium.NewPersonAsync(_app, zone);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1440, 900);
        await ConsolePages.SignInAsync(page, member.Email, member.Password);
        return (context, page);
    }

    static async Task ShouldNotScrollSidewaysAsync(IPage page) =>
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("nothing is wider than the phone");

    [Fact]
    public async Task A_person_takes_the_browser_s_time_zone_names_themselves_and_the_name_signs_their_replies()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var api = _app.CreateHttpClient(member.Token);
        var (context, page) = await SignInFromAsync(member, "Pacific/Auckland");
        await using var _ = context;
        try
        {
            await Eventually.GetAsync(async () => (await ProfileAsync(api)).GetProperty("time_zone").GetString() == "Pacific/Auckland" ? (object)true : null,
                TimeSpan.FromSeconds(10), "the browser's time zone to be taken on the first visit");

            await page.GetByRole(AriaRole.Link, new() { Name = $"{member.Email} · operator" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your profile", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByLabel("Time zone", new() { Exact = true })).ToHaveValueAsync("Pacific/Auckland");

            await page.GetByLabel("Display name", new() { Exact = true }).FillAsync(new string('x', 101));
            await page.GetByLabel("Time zone", new() { Exact = true }).SelectOptionAsync("Europe/Lisbon");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.Locator("#display-name-error")).ToHaveTextAsync("The name is at most 100 characters.");
            await Expect(page.GetByLabel("Display name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
            (await ProfileAsync(api)).GetProperty("time_zone").GetString().ShouldBe("Pacific/Auckland", "a refused form stores none of its fields");

            await page.GetByLabel("Display name", new() { Exact = true }).FillAsync("Sam Rivera");
            await page.GetByLabel("when an escalation of mine is about to breach its SLA").UncheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.Locator("#profile-notice")).ToHaveTextAsync("Saved.");
            var saved = await ProfileAsync(api);
            saved.GetProperty("display_name").GetString().ShouldBe("Sam Rivera");
            saved.GetProperty("time_zone").GetString().ShouldBe("Europe/Lisbon");
            saved.GetProperty("email_before_sla_breach").GetBoolean().ShouldBeFalse();
            saved.GetProperty("email_when_assigned").GetBoolean().ShouldBeTrue();
            await Screenshots.KeepAsync(page, "profile-1440");

            await page.SetViewportSizeAsync(390, 844);
            await ConsolePages.GoToAsync(page, "/account/profile");
            await ShouldNotScrollSidewaysAsync(page);
            await Screenshots.KeepAsync(page, "profile-390");
            await page.SetViewportSizeAsync(1440, 900);

            // The same circuit's console signs a reply with the new name; the simulated customer reads it.
            var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Ada"));
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sam Rivera · operator" })).ToBeVisibleAsync();
            var device = await _app.SandboxDeviceUrlAsync(member, id, "sms");
            await _app.ClaimAsync(member, id);
            using (var reply = await api.PostAsJsonAsync($"/v1/escalations/{id}/reply", new { content = "Hello from Sam.", channel = "sms" }, Ct))
                reply.StatusCode.ShouldBe(HttpStatusCode.OK, await reply.Content.ReadAsStringAsync(Ct));
            var customer = await context.NewPageAsync();
            await customer.GotoAsync(device);
            await Expect(customer.GetByText("Sam Rivera").First).ToBeVisibleAsync();
            await Expect(customer.GetByText(member.Email)).ToHaveCountAsync(0);
        }
        catch
        {
            await Screenshots.KeepAsync(page, $"{nameof(A_person_takes_the_browser_s_time_zone_names_themselves_and_the_name_signs_their_replies)}-failed");
            throw;
        }
    }

    [Fact]
    public async Task Tokens_are_shown_once_listed_with_their_last_use_and_revoked()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "supervisor");
        var other = await _app.NewTenantAsync();
        var stranger = await _app.NewMemberAsync(other, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Tokens_are_shown_once_listed_with_their_last_use_and_revoked), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, "/account/profile");

            await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            await Expect(page.Locator("#token-name-error")).ToHaveTextAsync("The name is required.");

            await page.GetByLabel("Token name").FillAsync("deploy script");
            await page.GetByLabel("Expires").SelectOptionAsync("30");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            var secret = await page.Locator("#new-token").TextContentAsync();
            secret.ShouldNotBeNull().ShouldStartWith("ahp_");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
            var tokens = page.GetByRole(AriaRole.Table, new() { Name = "Your tokens" });
            await Expect(tokens.GetByRole(AriaRole.Row).Filter(new() { HasText = "deploy script" })).ToContainTextAsync("never");
            await Expect(tokens.GetByText(stranger.Email)).ToHaveCountAsync(0);
            await Expect(tokens.GetByRole(AriaRole.Row)).ToHaveCountAsync(3, new() { Timeout = 5_000 }); // header, the tests' token, this one

            using var script = _app.CreateHttpClient(secret!);
            (await script.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await ConsolePages.GoToAsync(page, "/account/profile");
            await Expect(page.Locator("#new-token")).ToHaveCountAsync(0);
            await Expect(tokens.GetByRole(AriaRole.Row).Filter(new() { HasText = "deploy script" }).Locator("td").Nth(4)).Not.ToHaveTextAsync("never");
            await Screenshots.KeepAsync(page, "profile-tokens-1440");

            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke deploy script" }).ClickAsync();
            await Expect(page.Locator("#tokens-notice")).ToHaveTextAsync("deploy script revoked; it no longer works.");
            (await script.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            await page.SetViewportSizeAsync(390, 844);
            await ConsolePages.GoToAsync(page, "/account/profile");
            await ShouldNotScrollSidewaysAsync(page);
            await Screenshots.KeepAsync(page, "profile-tokens-390");
        });
    }

    [Fact]
    public async Task Password_then_two_factor_with_a_QR_code_and_the_sign_in_asks_for_a_code_or_a_recovery_code()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        const string newPassword = "a brand new passphrase";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Password_then_two_factor_with_a_QR_code_and_the_sign_in_asks_for_a_code_or_a_recovery_code), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, "/account/profile");
            await page.GetByRole(AriaRole.Link, new() { Name = "Change password" }).ClickAsync();

            await page.GetByLabel("Current password").FillAsync("not my password");
            await page.GetByLabel("New password").FillAsync("short");
            await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await Expect(page.Locator("#new_password-error")).ToContainTextAsync("at least 12 characters");
            await page.GetByLabel("Current password").FillAsync("not my password");
            await page.GetByLabel("New password").FillAsync(newPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await Expect(page.Locator("#current_password-error")).ToHaveTextAsync("This is not your current password.");
            await page.GetByLabel("Current password").FillAsync(member.Password);
            await page.GetByLabel("New password").FillAsync(newPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed.");

            await ConsolePages.GoToAsync(page, "/account/profile");
            await page.GetByRole(AriaRole.Link, new() { Name = "Set up two-factor sign-in" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of your authenticator key" })).ToBeVisibleAsync();
            var key = (await page.GetByLabel("Authenticator key").TextContentAsync())!.Replace(" ", "");
            var totp = new Totp(Base32Encoding.ToBytes(key));
            await page.GetByLabel("Code from the app").FillAsync(((int.Parse(totp.ComputeTotp()) + 1) % 1_000_000).ToString("D6"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            await Expect(page.Locator("#code-error")).ToContainTextAsync("The code is not valid");
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of your authenticator key" })).ToBeVisibleAsync();
            await page.SetViewportSizeAsync(390, 844);
            await ShouldNotScrollSidewaysAsync(page);
            await Screenshots.KeepAsync(page, "profile-two-factor-setup-390");
            await page.SetViewportSizeAsync(1440, 900);

            await page.GetByLabel("Code from the app").FillAsync(totp.ComputeTotp());
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            var codes = page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem);
            await Expect(codes).ToHaveCountAsync(10);
            var recovery = (await codes.First.TextContentAsync())!.Trim();
            await Screenshots.KeepAsync(page, "profile-two-factor-codes-1440");

            var signIn = await browser.NewPageAsync();
            await signIn.GotoAsync("/account/login");
            await ConsolePages.FillSignInAsync(signIn, member.Email, newPassword);
            await Expect(signIn.GetByRole(AriaRole.Alert)).ToContainTextAsync("authenticator app");
            await signIn.GetByLabel("Password", new() { Exact = true }).FillAsync(newPassword);
            await signIn.GetByLabel("Authenticator code or recovery code").FillAsync(recovery);
            await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(signIn.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Someone_signed_out_is_sent_to_sign_in_first()
    {
        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Someone_signed_out_is_sent_to_sign_in_first), async browser =>
        {
            var page = await browser.NewPageAsync();
            foreach (var path in new[] { "/account/profile", "/account/password", "/account/two-factor" })
            {
                await page.GotoAsync(path);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to AwaitHuman" })).ToBeVisibleAsync();
            }
        });
    }
}
