using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The teams page: create, rename, delete; members with skills and capacity; strategy; business hours; who is online and their load.</summary>
public sealed class TeamsPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<JsonElement[]> TeamsAsync(TestMember admin)
    {
        using var client = _app.CreateHttpClient(admin.Token);
        return [.. (await client.ListAllAsync("/v1/teams"))];
    }

    async Task OnlineAsync(TestMember member)
    {
        using var client = _app.CreateHttpClient(member.Token);
        (await client.PutAsJsonAsync("/v1/operators/me/presence", new { status = "online" }, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_admin_sets_up_a_team_sees_who_is_online_with_their_load_renames_and_deletes_it()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var ada = await _app.NewMemberAsync(tenant, "operator");
        var bob = await _app.NewMemberAsync(tenant, "operator");
        await OnlineAsync(ada);
        await _app.ClaimAsync(ada, await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Lena")));
        var other = await _app.NewTenantAsync();
        var othersAdmin = await _app.NewMemberAsync(other, "admin");
        using (var othersClient = _app.CreateHttpClient(othersAdmin.Token))
            (await othersClient.PostAsJsonAsync("/v1/teams", new { name = "Their secret team" }, Ct)).EnsureSuccessStatusCode();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_sets_up_a_team_sees_who_is_online_with_their_load_renames_and_deletes_it), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Teams", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Teams", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByText("Their secret team")).ToHaveCountAsync(0);

            await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Billing");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
            await Expect(page.Locator("#teams-notice")).ToContainTextAsync("Billing created.");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 2 })).ToBeVisibleAsync();

            await page.GetByLabel("Add a member").SelectOptionAsync(ada.PersonId.ToString());
            await page.GetByLabel("Skills", new() { Exact = true }).FillAsync("refunds:4, billing:2");
            await page.GetByLabel("Capacity", new() { Exact = true }).FillAsync("3");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
            await Expect(page.Locator("#teams-notice")).ToHaveTextAsync($"{ada.Email} added to Billing.");
            // Her heartbeat, as her open console would send it, so she still counts as online when the list is read.
            await OnlineAsync(ada);
            await page.GetByLabel("Add a member").SelectOptionAsync(bob.PersonId.ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
            await Expect(page.Locator("#teams-notice")).ToHaveTextAsync($"{bob.Email} added to Billing.");

            var members = page.GetByRole(AriaRole.Table, new() { Name = "Team members" });
            var adaRow = members.GetByRole(AriaRole.Row).Filter(new() { HasText = ada.Email });
            await Expect(adaRow.Locator(".presence")).ToHaveTextAsync("online");
            await Expect(adaRow).ToContainTextAsync("1 of 3");
            await Expect(members.GetByRole(AriaRole.Row).Filter(new() { HasText = bob.Email }).Locator(".presence")).ToHaveTextAsync("offline");

            await page.GetByLabel($"{bob.Email} supervises").CheckAsync();
            await page.GetByLabel($"Capacity of {bob.Email}").FillAsync("2");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Save {bob.Email}" }).ClickAsync();
            await Expect(page.Locator("#teams-notice")).ToHaveTextAsync($"{bob.Email} saved.");

            await page.GetByLabel("Name", new() { Exact = true }).Nth(1).FillAsync("Billing EU");
            await page.GetByLabel("Strategy").SelectOptionAsync("least_loaded");
            await page.GetByLabel("Works around the clock").UncheckAsync();
            await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
            await page.GetByLabel("Open on saturday").CheckAsync();
            await page.GetByLabel("Saturday opens").FillAsync("10:00");
            await page.GetByLabel("Saturday closes").FillAsync("14:00");
            await page.GetByLabel("Holidays (dates, separated by commas)").FillAsync("2026-12-25, 2027-01-01");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(page.Locator("#teams-notice")).ToHaveTextAsync("Billing EU saved.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Teams" })).ToContainTextAsync("Billing EU");

            await AdminLayout.KeepAtBothWidthsAsync(page, "teams");
            // The inbox's narrow-screen rule hides sixth columns; the supervisor's box must stay.
            await page.SetViewportSizeAsync(390, 844);
            await Expect(page.GetByLabel($"{bob.Email} supervises")).ToBeVisibleAsync();
            await page.SetViewportSizeAsync(1440, 900);

            var stored = (await TeamsAsync(admin)).ShouldHaveSingleItem();
            stored.GetProperty("name").GetString().ShouldBe("Billing EU");
            stored.GetProperty("strategy").GetString().ShouldBe("least_loaded");
            var hours = stored.GetProperty("business_hours");
            hours.GetProperty("time_zone").GetString().ShouldBe("Europe/Berlin");
            hours.GetProperty("weekly").EnumerateArray().Select(w => $"{w.GetProperty("day").GetString()} {w.GetProperty("opens").GetString()}-{w.GetProperty("closes").GetString()}")
                .ShouldBe(["monday 09:00-17:00", "tuesday 09:00-17:00", "wednesday 09:00-17:00", "thursday 09:00-17:00", "friday 09:00-17:00", "saturday 10:00-14:00"]);
            hours.GetProperty("holidays").EnumerateArray().Select(h => h.GetString()).ShouldBe(["2026-12-25", "2027-01-01"]);
            var storedMembers = stored.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("person_id").GetGuid());
            storedMembers[ada.PersonId].GetProperty("skills").GetProperty("refunds").GetInt32().ShouldBe(4);
            storedMembers[ada.PersonId].GetProperty("capacity").GetInt32().ShouldBe(3);
            storedMembers[bob.PersonId].GetProperty("supervisor").GetBoolean().ShouldBeTrue();
            storedMembers[bob.PersonId].GetProperty("capacity").GetInt32().ShouldBe(2);

            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Billing EU" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("Its queue is empty.");
            await Expect(dialog).ToContainTextAsync("Escalations someone is working on stay with them.");
            await Screenshots.KeepAsync(page, "teams-delete-confirm");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete team" }).ClickAsync();
            await Expect(page.Locator("#teams-notice")).ToHaveTextAsync("Billing EU deleted.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Teams" })).ToHaveCountAsync(0);
        });

        (await TeamsAsync(admin)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_input_is_named_under_each_field_and_nothing_of_it_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var ada = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_input_is_named_under_each_field_and_nothing_of_it_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/teams");

            await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
            await Expect(page.Locator("#new-team-name-error")).ToHaveTextAsync("The name is required.");
            await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Support");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Support", Level = 2 })).ToBeVisibleAsync();

            await page.GetByLabel("Add a member").SelectOptionAsync(ada.PersonId.ToString());
            await page.GetByLabel("Skills", new() { Exact = true }).FillAsync("refunds:9");
            await page.GetByLabel("Capacity", new() { Exact = true }).FillAsync("500");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
            await Expect(page.Locator("#add-skills-error")).ToContainTextAsync("Skill 'refunds'");
            await Expect(page.Locator("#add-capacity-error")).ToHaveTextAsync("The capacity is 0 to 100 escalations at once.");

            await page.GetByLabel("Skills", new() { Exact = true }).FillAsync("refunds");
            await page.GetByLabel("Capacity", new() { Exact = true }).FillAsync("2");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
            await Expect(page.Locator("#add-skills-error")).ToContainTextAsync("write each skill as name:level");

            await page.GetByLabel("Works around the clock").UncheckAsync();
            await page.GetByLabel("Time zone").FillAsync("Mars/Olympus");
            await page.GetByLabel("Monday opens").FillAsync("18:00");
            await page.GetByLabel("Tuesday opens").FillAsync("9am");
            await page.GetByLabel("Monday closes").FillAsync("09:00");
            await page.GetByLabel("Holidays (dates, separated by commas)").FillAsync("christmas");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(page.Locator("#team-time-zone-error")).ToContainTextAsync("IANA name");
            await Expect(page.Locator("#hours-error-monday")).ToHaveTextAsync("The window closes after it opens.");
            await Expect(page.Locator("#hours-error-tuesday")).ToHaveTextAsync("The opening time is HH:mm, e.g. 09:00.");
            await Expect(page.Locator("#team-holidays-error")).ToHaveTextAsync("A holiday is a date such as 2026-12-25.");
            await Expect(page.GetByLabel("Time zone")).ToHaveAttributeAsync("aria-invalid", "true");
            await AdminLayout.KeepAtBothWidthsAsync(page, "teams-refused");
        });

        var stored = (await TeamsAsync(admin)).ShouldHaveSingleItem();
        stored.GetProperty("name").GetString().ShouldBe("Support");
        stored.GetProperty("members").GetArrayLength().ShouldBe(0);
        stored.GetProperty("business_hours").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
