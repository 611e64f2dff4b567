using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Portal.Tests.Account;

/// <summary>A company signs itself up in the browser: the form, the mailed code, its first key, its console.</summary>
public sealed class SignupTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Types, and waits for the live slug check it causes (a loaded machine may take longer than an assertion waits).</summary>
    static Task CheckedAsync(IPage page, Func<Task> typing) =>
        page.RunAndWaitForResponseAsync(typing, response => response.Url.Contains("/v1/signup/slug-availability"));

    [Fact]
    public async Task A_company_signs_up_verifies_its_email_and_lands_in_its_own_console_with_a_working_key()
    {
        var other = await _app.NewTenantAsync();
        var othersCustomer = ConsoleScenarios.CustomerName("Other");
        await _app.OpenEscalationAsync(other, othersCustomer);
        var company = $"Acme Widgets {Guid.NewGuid():N}"[..21];
        var slug = Regex.Replace(company.ToLowerInvariant(), "[^a-z0-9]+", "-");
        var email = $"owner@{slug}.test";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_company_signs_up_verifies_its_email_and_lands_in_its_own_console_with_a_working_key), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync("/account/login");
            await page.GetByRole(AriaRole.Link, new() { Name = "Create your company's account" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your company's account", Level = 1 })).ToBeVisibleAsync();

            await CheckedAsync(page, () => page.GetByLabel("Company name").FillAsync(company));
            await Expect(page.GetByLabel("Address in AwaitHuman")).ToHaveValueAsync(slug);
            await Expect(page.Locator("#slug-status")).ToHaveTextAsync($"{slug} is available.");
            await page.GetByLabel("Your name").FillAsync("Ada Owner");
            await page.GetByLabel("Work email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(TestTenants.Password);
            await Screenshots.KeepAsync(page, "signup-filled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"We sent a verification code to {email}");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "sandbox outbox" })).ToHaveAttributeAsync("href", $"/sandbox/emails?to={Uri.EscapeDataString(email)}");
            await Screenshots.KeepAsync(page, "signup-verify");
            var mail = await _app.LatestSandboxEmailAsync(email, "verify_email");
            mail.ShouldNotBeNull();
            await page.GetByLabel("Verification code").FillAsync(mail.Code!);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and open the console" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{company} is ready", Level = 1 })).ToBeVisibleAsync();
            var key = (await page.GetByLabel("API key", new() { Exact = true }).TextContentAsync())!.Trim();
            key.ShouldStartWith("ah_live_");
            var curl = (await page.GetByLabel("Example request", new() { Exact = true }).TextContentAsync())!;
            curl.ShouldContain($"{_app.Address.ToString().TrimEnd('/')}/v1/escalations");
            curl.ShouldContain(key);
            await Screenshots.KeepAsync(page, "signup-done");

            using (var agent = _app.CreateHttpClient(key))
            {
                var me = JsonDocument.Parse(await agent.GetStringAsync("/v1/me", TestContext.Current.CancellationToken)).RootElement;
                me.GetProperty("tenant").GetString().ShouldBe(slug);
            }

            await page.GetByRole(AriaRole.Link, new() { Name = "Open the console" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }).ClickAsync();
            await Expect(page.GetByText(othersCustomer)).ToHaveCountAsync(0);
        });

        await using var query = _app.Store.QuerySession();
        var tenant = await query.FindBySlugAcrossTenantsAsync(slug, TestContext.Current.CancellationToken);
        tenant.ShouldNotBeNull().Status.ShouldBe(TenantStatus.Active);
        await using var scope = _app.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<Person>>().FindByEmailAsync(email)).ShouldNotBeNull().DisplayName.ShouldBe("Ada Owner");
    }

    [Fact]
    public async Task Bad_input_is_named_under_each_field_and_nothing_is_stored()
    {
        var taken = await _app.NewTenantAsync();
        var email = $"{Unique("nobody")}@example.test";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_input_is_named_under_each_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync("/signup");

            await CheckedAsync(page, () => page.GetByLabel("Address in AwaitHuman").FillAsync(taken.Slug));
            await Expect(page.Locator("#slug-status")).ToHaveTextAsync($"The slug '{taken.Slug}' is taken.");
            await CheckedAsync(page, () => page.GetByLabel("Address in AwaitHuman").FillAsync("No Spaces!"));
            await Expect(page.Locator("#slug-status")).ToContainTextAsync("lowercase letters, digits or hyphens");
            await page.GetByLabel("Company name").FillAsync("Typed after the slug");
            await Expect(page.GetByLabel("Address in AwaitHuman")).ToHaveValueAsync("No Spaces!");

            await page.GetByLabel("Address in AwaitHuman").FillAsync(taken.Slug);
            await page.GetByLabel("Work email").FillAsync("not an address");
            await page.GetByLabel("Password").FillAsync("short");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Please correct the fields marked below.");
            await Expect(page.Locator("#email-error")).ToHaveTextAsync("This is not an email address.");
            await Expect(page.Locator("#password-error")).ToContainTextAsync("at least 12 characters");
            await Expect(page.GetByLabel("Work email")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.GetByLabel("Company name")).ToHaveValueAsync("Typed after the slug");
            await Screenshots.KeepAsync(page, "signup-refused");

            // The fields pass; the slug is another tenant's: named at the slug, and nothing of ours stored.
            await page.GetByLabel("Work email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(TestTenants.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Expect(page.Locator("#slug-error")).ToHaveTextAsync($"The slug '{taken.Slug}' is taken.");
            await Expect(page.Locator("#email-error")).ToHaveCountAsync(0);

            // A wrong code on the verification page is named at the code.
            await page.GotoAsync($"/signup/verify?email={Uri.EscapeDataString(email)}");
            await page.GetByLabel("Verification code").FillAsync("not-the-code");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and open the console" }).ClickAsync();
            await Expect(page.Locator("#code-error")).ToHaveTextAsync("The code is not valid for this address, or has expired.");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToHaveCountAsync(0);
        });

        await using var scope = _app.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<Person>>().FindByEmailAsync(email)).ShouldBeNull();
        using var anonymous = _app.CreateHttpClient();
        anonymous.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        (await anonymous.GetAsync($"/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_person_who_has_an_account_cannot_sign_up_again_nor_verify_twice_and_is_pointed_to_sign_in()
    {
        var existing = await _app.NewTenantAsync();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_person_who_has_an_account_cannot_sign_up_again_nor_verify_twice_and_is_pointed_to_sign_in), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync("/signup");
            await page.GetByLabel("Company name").FillAsync("Second company");
            await page.GetByLabel("Address in AwaitHuman").FillAsync(Unique("second"));
            await page.GetByLabel("Work email").FillAsync(existing.OwnerEmail);
            await page.GetByLabel("Password").FillAsync(TestTenants.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Expect(page.Locator("#email-error")).ToContainTextAsync("already exists");

            await page.GotoAsync($"/signup/verify?email={Uri.EscapeDataString(existing.OwnerEmail)}&code=whatever");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and open the console" }).ClickAsync();
            await Expect(page.Locator("#code-error, #email-error").First).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToHaveCountAsync(0);
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        });
    }

    [Fact]
    public async Task The_sign_up_pages_fit_a_phone()
    {
        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_sign_up_pages_fit_a_phone), async browser =>
        {
            var page = await browser.NewPageAsync();
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("/signup");
            await page.GetByLabel("Company name").FillAsync("Phone Company");
            await Expect(page.Locator("#slug-status")).Not.ToBeEmptyAsync();
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
            await Screenshots.KeepAsync(page, "signup-390");
        });
    }
}
