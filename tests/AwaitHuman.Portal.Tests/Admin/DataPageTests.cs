using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The data and privacy page: a customer's export downloaded, their erasure after a confirmation, the retention period; refused to supervisors.</summary>
public sealed class DataPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_downloads_a_customers_data_erases_it_after_confirming_and_sets_the_retention()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var email = $"grace-{tag}@example.com";
        var secret = $"my account number is {tag}";
        var request = EscalationScenarios.SampleRequest();
        request["customer"] = new JsonObject { ["name"] = $"Grace {tag}", ["email"] = email, ["preferred_channel"] = "agent" };
        request["transcript"] = new JsonArray(new JsonObject { ["role"] = "customer", ["content"] = secret });
        var id = (await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_downloads_a_customers_data_erases_it_after_confirming_and_sets_the_retention), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/data");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Data & privacy", Level = 1 })).ToBeVisibleAsync();

            // Nothing to find by: the field says what is needed.
            await page.GetByRole(AriaRole.Button, new() { Name = "Export as JSON" }).ClickAsync();
            await Expect(page.Locator("#customer-email-error")).ToContainTextAsync("email, phone or external reference");
            await Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

            await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Export as JSON" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Found 1 escalation" })).ToBeVisibleAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Download customer-data-") }).ClickAsync());
            var path = await download.PathAsync();
            using (var exported = JsonDocument.Parse(await File.ReadAllTextAsync(path, Ct)))
            {
                var escalation = exported.RootElement.GetProperty("escalations").EnumerateArray().Single();
                escalation.GetProperty("id").GetString().ShouldBe(id);
                escalation.GetProperty("customer").GetProperty("email").GetString().ShouldBe(email);
                escalation.GetRawText().ShouldContain(secret);
            }
            await AdminLayout.KeepAtBothWidthsAsync(page, "data-exported");

            // Cancelling the confirmation erases nothing.
            await page.GetByRole(AriaRole.Button, new() { Name = "Erase personal data" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("This cannot be undone.");
            await Screenshots.KeepAsync(page, "data-erase-confirmation");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            (await agent.GetEscalationAsync(id)).GetRawText().ShouldContain(secret);

            await page.GetByRole(AriaRole.Button, new() { Name = "Erase personal data" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Erase" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Erased the customer's personal data from 1 escalation." })).ToBeVisibleAsync();
            var erased = await agent.GetEscalationAsync(id);
            erased.GetRawText().ShouldNotContain(secret);
            erased.GetRawText().ShouldNotContain(email);
            erased.GetProperty("status").GetString().ShouldBe("waiting_for_human");

            // Erased, the customer is found no more.
            await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Export as JSON" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No escalation of this tenant names a customer");

            var days = page.GetByLabel("Keep transcripts of ended escalations for (days)");
            await days.FillAsync("0");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
            await Expect(page.Locator("#retention-days-error")).ToContainTextAsync("Between 1 and 3650 days");
            await days.FillAsync("90");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
            await Expect(page.Locator("#retention-now")).ToHaveTextAsync("Transcripts are masked 90 days after their escalation ends.");
            await AdminLayout.KeepAtBothWidthsAsync(page, "data-retention");
        });
        using var retention = await agent.GetAsync("/v1/customer-data/retention", Ct);
        (await retention.Content.ReadAsStringAsync(Ct)).ShouldContain("\"transcript_retention_days\":90");
    }

    [Fact]
    public async Task A_supervisor_is_refused_the_page()
    {
        var tenant = await _app.NewTenantAsync();
        var supervisor = await _app.NewMemberAsync(tenant, "supervisor");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_supervisor_is_refused_the_page), async browser =>
        {
            var page = await browser.SignInAsync(supervisor);
            await page.GotoAsync("/admin/data");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Erase personal data" })).ToHaveCountAsync(0);
        });
    }
}
