using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The settings page: name, slug (owners only; the old one keeps working), default time zone and locale.</summary>
public sealed class SettingsPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<JsonElement> TenantAsync(TestTenantAccount tenant)
    {
        using var client = _app.CreateHttpClient(tenant.ApiKey);
        return await (await client.GetAsync("/v1/tenant", Ct)).JsonAsync();
    }

    [Fact]
    public async Task The_owner_changes_every_setting_and_signs_in_again_with_the_old_slug()
    {
        var tenant = await _app.NewTenantAsync();
        var owner = await _app.NewMemberAsync(tenant, "owner");
        var newSlug = $"settings-{Guid.NewGuid():N}"[..24];

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_owner_changes_every_setting_and_signs_in_again_with_the_old_slug), async browser =>
        {
            var page = await browser.SignInAsync(owner);
            await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(page);
            await Expect(page.GetByLabel("Slug")).ToHaveValueAsync(tenant.Slug);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Data & privacy" }).First).ToBeVisibleAsync();

            await page.GetByLabel("Company name").FillAsync("Acme Renamed");
            await page.GetByLabel("Slug").FillAsync(newSlug);
            await page.GetByLabel("Default time zone").FillAsync("America/New_York");
            await page.GetByLabel("Locale").FillAsync("de-DE");
            await Expect(page.Locator("#tenant-locale-hint")).ToContainTextAsync("1.234.567,89");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(page.Locator("#settings-notice")).ToHaveTextAsync("Settings saved.");
            await Expect(page.Locator("#tenant-slug-hint")).ToContainTextAsync($"Former slugs: {tenant.Slug}.");
            await AdminLayout.KeepAtBothWidthsAsync(page, "settings");

            var again = await browser.SignInAsync(owner, tenant.Slug);
            await Expect(again.Locator(".tenant-name")).ToHaveTextAsync(newSlug);
        });

        var stored = await TenantAsync(tenant);
        stored.GetProperty("name").GetString().ShouldBe("Acme Renamed");
        stored.GetProperty("slug").GetString().ShouldBe(newSlug);
        stored.GetProperty("time_zone").GetString().ShouldBe("America/New_York");
        stored.GetProperty("locale").GetString().ShouldBe("de-DE");
    }

    [Fact]
    public async Task Bad_input_is_named_under_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var owner = await _app.NewMemberAsync(tenant, "owner");
        var other = await _app.NewTenantAsync();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_input_is_named_under_each_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(owner);
            await ConsolePages.GoToAsync(page, "/admin/settings");
            var save = page.GetByRole(AriaRole.Button, new() { Name = "Save settings" });

            await page.GetByLabel("Company name").FillAsync("x");
            await page.GetByLabel("Slug").FillAsync("Not A Slug");
            await page.GetByLabel("Default time zone").FillAsync("Mars/Olympus_Mons");
            await page.GetByLabel("Locale").FillAsync("xx-YY");
            await save.ClickAsync();
            await Expect(page.Locator("#tenant-name-error")).ToHaveTextAsync("The name is 2 to 100 characters.");
            await Expect(page.Locator("#tenant-slug-error")).ToContainTextAsync("3 to 40 lowercase letters");
            await Expect(page.Locator("#tenant-zone-error")).ToContainTextAsync("is not an IANA time zone");
            await Expect(page.Locator("#tenant-locale-error")).ToContainTextAsync("is not a known locale");
            await Expect(page.GetByLabel("Default time zone")).ToHaveAttributeAsync("aria-invalid", "true");
            await AdminLayout.KeepAtBothWidthsAsync(page, "settings-invalid");

            await page.GetByLabel("Company name").FillAsync("Fine Name");
            await page.GetByLabel("Slug").FillAsync(other.Slug);
            await page.GetByLabel("Default time zone").FillAsync("Europe/Berlin");
            await page.GetByLabel("Locale").FillAsync("en-GB");
            await save.ClickAsync();
            await Expect(page.Locator("#tenant-slug-error")).ToHaveTextAsync($"The slug '{other.Slug}' is taken.");
            await Expect(page.Locator("#tenant-zone-error")).ToHaveCountAsync(0);
            await Expect(page.Locator("#tenant-name-error")).ToHaveCountAsync(0);
        });

        var stored = await TenantAsync(tenant);
        stored.GetProperty("slug").GetString().ShouldBe(tenant.Slug);
        stored.GetProperty("name").GetString().ShouldNotBe("Fine Name");
        stored.GetProperty("time_zone").GetString().ShouldBe("UTC");
        stored.GetProperty("locale").GetString().ShouldBe("en-US");
    }

    [Fact]
    public async Task An_admin_changes_the_time_zone_but_not_the_slug_and_an_operator_is_refused()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var member = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_changes_the_time_zone_but_not_the_slug_and_an_operator_is_refused), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/settings");
            await Expect(page.GetByLabel("Slug")).ToBeDisabledAsync();
            await Expect(page.Locator("#tenant-slug-hint")).ToContainTextAsync("Only owners change it.");
            await page.GetByLabel("Default time zone").FillAsync("Asia/Tokyo");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(page.Locator("#settings-notice")).ToHaveTextAsync("Settings saved.");

            var operatorPage = await browser.SignInAsync(member);
            await operatorPage.GotoAsync("/admin/settings");
            await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(operatorPage.GetByLabel("Company name")).ToHaveCountAsync(0);
        });

        var stored = await TenantAsync(tenant);
        stored.GetProperty("time_zone").GetString().ShouldBe("Asia/Tokyo");
        stored.GetProperty("slug").GetString().ShouldBe(tenant.Slug);
    }
}
