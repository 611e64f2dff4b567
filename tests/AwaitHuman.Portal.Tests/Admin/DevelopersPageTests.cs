using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Server.Tests.Webhooks;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>
/// The developers page: API keys created with scopes and mode, shown once, listed by prefix, revoked;
/// webhook endpoints added, tested against a loopback agent, their delivery log filtered and redelivered,
/// secrets rotated, disabled and enabled; nothing of another tenant.
/// </summary>
public sealed class DevelopersPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string[]> KeyNamesAsync(TestTenantAccount tenant)
    {
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        return [.. (await owner.ListAllAsync("/v1/api-keys")).Select(key => key.GetProperty("name").GetString()!)];
    }

    [Fact]
    public async Task An_admin_creates_a_key_sees_it_once_then_only_its_prefix_and_revokes_it()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var other = await _app.NewTenantAsync();
        using (var othersOwner = _app.CreateHttpClient(other.ApiKey))
            (await othersOwner.PostAsJsonAsync("/v1/api-keys", new { name = "Someone else's agent", scopes = new[] { "escalations:read" } }, Ct)).EnsureSuccessStatusCode();
        string key = "";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_creates_a_key_sees_it_once_then_only_its_prefix_and_revokes_it), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Developers", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Developers", Level = 1 })).ToBeVisibleAsync();
            // An admin grants what an admin holds: never tenant:manage.
            await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "tenant:manage" })).ToHaveCountAsync(0);

            await page.Locator("#key-name").FillAsync("Support agent");
            await page.GetByLabel("Mode").SelectOptionAsync("test");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "escalations:write" }).UncheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "teams:manage" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();

            await Expect(page.GetByText("Key “Support agent” created. Copy it now")).ToBeVisibleAsync();
            key = (await page.Locator("#new-api-key").TextContentAsync())!.Trim();
            key.ShouldStartWith("ah_test_");
            var row = page.GetByRole(AriaRole.Table, new() { Name = "API keys" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Support agent" });
            await Expect(row).ToContainTextAsync(key[..12] + "...");
            await Expect(row).ToContainTextAsync("escalations:read, teams:manage");
            await Expect(row).ToContainTextAsync("never");
            await Expect(page.GetByText("Someone else's agent")).ToHaveCountAsync(0);
            await AdminLayout.KeepAtBothWidthsAsync(page, "developers-key-created");

            using (var agent = _app.CreateHttpClient(key))
            {
                var me = await agent.GetFromJsonAsync<JsonElement>("/v1/me", Ct);
                me.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).ShouldBe(["escalations:read", "teams:manage"], ignoreOrder: true);
                (await agent.PostAsJsonAsync("/v1/teams", new { name = "Scripted" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
            }

            // Shown once: after a reload only the prefix is left.
            await page.ReloadAsync();
            await Expect(row).ToContainTextAsync(key[..12] + "...");
            await Expect(page.Locator("#new-api-key")).ToHaveCountAsync(0);
            (await page.ContentAsync()).ShouldNotContain(key);

            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Support agent" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
            await Expect(page.Locator("#keys-notice")).ToHaveTextAsync("Key “Support agent” revoked.");
            await Expect(row).ToContainTextAsync("Revoked");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke Support agent" })).ToHaveCountAsync(0);
        });

        using var revoked = _app.CreateHttpClient(key);
        (await revoked.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_without_a_name_or_scopes_is_named_under_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var before = await KeyNamesAsync(tenant);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_key_without_a_name_or_scopes_is_named_under_each_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/developers");

            await page.GetByRole(AriaRole.Checkbox, new() { Name = "escalations:read" }).UncheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "escalations:write" }).UncheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();

            await Expect(page.Locator("#key-name-error")).ToHaveTextAsync("The name is required.");
            await Expect(page.Locator("#key-name")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator("#key-scopes-error")).ToHaveTextAsync("At least one scope is required.");
            await Expect(page.Locator("#new-api-key")).ToHaveCountAsync(0);

            await page.Locator("#key-name").FillAsync(new string('x', 101));
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "escalations:read" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Expect(page.Locator("#key-name-error")).ToContainTextAsync("100");
            await Expect(page.Locator("#key-scopes-error")).ToHaveCountAsync(0);
            await Expect(page.Locator("#new-api-key")).ToHaveCountAsync(0);
            await AdminLayout.KeepAtBothWidthsAsync(page, "developers-refused-input");
        });

        (await KeyNamesAsync(tenant)).ShouldBe(before);
    }

    [Fact]
    public async Task An_operator_is_refused_the_developers_page()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_is_refused_the_developers_page), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Developers", Exact = true })).ToHaveCountAsync(0);

            await page.GotoAsync("/admin/developers");

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "API keys" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create API key" })).ToHaveCountAsync(0);
        });
    }

    async Task<string[]> EndpointUrlsAsync(TestTenantAccount tenant)
    {
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        return [.. (await owner.ListAllAsync("/v1/webhook-endpoints")).Select(endpoint => endpoint.GetProperty("url").GetString()!)];
    }

    static ILocator Deliveries(IPage page) => page.GetByRole(AriaRole.Table, new() { Name = "Deliveries" }).Locator("tbody tr");

    [Fact]
    public async Task An_admin_adds_an_endpoint_tests_it_and_redelivers_a_failure_from_the_log()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var other = await _app.NewTenantAsync();
        using (var othersOwner = _app.CreateHttpClient(other.ApiKey))
            (await othersOwner.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/someone-else", event_types = new[] { "*" } }, Ct)).EnsureSuccessStatusCode();
        using var agent = new FakeAgent();
        // The test event fails on every attempt of its series (one and two quick retries in these tests).
        agent.AnswerNext(500, 500, 500);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_adds_an_endpoint_tests_it_and_redelivers_a_failure_from_the_log), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/developers");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Webhooks" }).ClickAsync();

            await page.GetByLabel("URL", new() { Exact = true }).FillAsync(agent.Url);
            await page.GetByLabel("Description (optional)").FillAsync("Billing bot");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();

            var secret = (await page.Locator("#endpoint-secret").TextContentAsync())!.Trim();
            secret.ShouldStartWith("whsec_");
            var endpoints = page.GetByRole(AriaRole.Table, new() { Name = "Webhook endpoints" });
            await Expect(endpoints.Locator("tbody tr")).ToHaveCountAsync(1);
            await Expect(endpoints).ToContainTextAsync("Billing bot");
            await Expect(endpoints).ToContainTextAsync("every event");
            await Expect(page.GetByText("someone-else")).ToHaveCountAsync(0);
            await Expect(page.Locator("#no-deliveries")).ToHaveTextAsync("No deliveries yet.");

            await page.GetByRole(AriaRole.Button, new() { Name = "Send a test event" }).ClickAsync();
            await Expect(page.Locator("#webhooks-notice")).ToContainTextAsync("Test event msg_");
            // The log follows the pending delivery by itself until its series ends.
            await Expect(Deliveries(page)).ToHaveCountAsync(1);
            await Expect(Deliveries(page).Locator(".status-failed")).ToHaveTextAsync("failed", new() { Timeout = 60_000 });
            await Expect(Deliveries(page)).ToContainTextAsync("3 attempts");
            await Expect(Deliveries(page)).ToContainTextAsync("500 in");
            await Expect(Deliveries(page)).ToContainTextAsync("the agent is down (500)");
            var received = await agent.ReceivedAsync(3);
            received.ShouldAllBe(webhook => webhook.IsSignedWith(secret));

            await page.GetByLabel("Show", new() { Exact = true }).SelectOptionAsync("failed");
            await Expect(Deliveries(page)).ToHaveCountAsync(1);
            // A series that never got through disables the endpoint, saying why; redelivery waits for it to be enabled.
            await Expect(endpoints).ToContainTextAsync("disabled");
            await Expect(page.Locator(".endpoint-panel")).ToContainTextAsync("Disabled:");
            await Expect(Deliveries(page).GetByRole(AriaRole.Button, new() { Name = "Redeliver" })).ToBeDisabledAsync();
            await AdminLayout.KeepAtBothWidthsAsync(page, "developers-webhook-failed");

            await page.GetByRole(AriaRole.Button, new() { Name = "Enable", Exact = true }).ClickAsync();
            await Expect(page.Locator("#webhooks-notice")).ToHaveTextAsync($"{agent.Url} enabled.");
            await Deliveries(page).GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
            await Expect(page.Locator("#webhooks-notice")).ToContainTextAsync("sent again");
            await page.GetByLabel("Show", new() { Exact = true }).SelectOptionAsync("");
            await Expect(Deliveries(page).Locator(".status-delivered")).ToHaveTextAsync("delivered", new() { Timeout = 60_000 });
            await Expect(Deliveries(page)).ToContainTextAsync("4 attempts");
            (await agent.ReceivedAsync(4))[^1].Id.ShouldBe(received[0].Id);
            await page.GetByLabel("Show", new() { Exact = true }).SelectOptionAsync("failed");
            await Expect(page.Locator("#no-deliveries")).ToHaveTextAsync("No deliveries with this status.");

            await page.GetByLabel("Old secret keeps signing for (hours)").FillAsync("1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
            var rotated = (await page.Locator("#endpoint-secret").TextContentAsync())!.Trim();
            rotated.ShouldStartWith("whsec_");
            rotated.ShouldNotBe(secret);
            await Expect(endpoints).ToContainTextAsync("old one signs until");

            await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
            await Expect(page.Locator("#webhooks-notice")).ToHaveTextAsync($"{agent.Url} disabled.");
            await Expect(endpoints).ToContainTextAsync("disabled");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a test event" })).ToBeDisabledAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Enable", Exact = true }).ClickAsync();
            await Expect(page.Locator("#webhooks-notice")).ToHaveTextAsync($"{agent.Url} enabled.");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a test event" })).ToBeEnabledAsync();
        });
    }

    [Fact]
    public async Task A_bad_url_no_events_or_a_too_long_overlap_is_named_under_its_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var agent = new FakeAgent();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_bad_url_no_events_or_a_too_long_overlap_is_named_under_its_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/developers");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Webhooks" }).ClickAsync();

            await page.GetByLabel("URL", new() { Exact = true }).FillAsync("not a url");
            await page.GetByLabel("Description (optional)").FillAsync(new string('d', 501));
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Every event, also those added later" }).UncheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();

            await Expect(page.Locator("#endpoint-url-error")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("URL", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator("#endpoint-events-error")).ToContainTextAsync("At least one event type is required");
            await Expect(page.Locator("#endpoint-description-error")).ToHaveTextAsync("The description is at most 500 characters.");
            await Expect(page.Locator("#endpoint-secret")).ToHaveCountAsync(0);
            await AdminLayout.KeepAtBothWidthsAsync(page, "developers-webhook-refused-input");
        });
        (await EndpointUrlsAsync(tenant)).ShouldBeEmpty();

        using (var owner = _app.CreateHttpClient(tenant.ApiKey))
            (await owner.PostAsJsonAsync("/v1/webhook-endpoints", new { url = agent.Url, event_types = new[] { "*" } }, Ct)).EnsureSuccessStatusCode();
        string hint = "";
        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_bad_url_no_events_or_a_too_long_overlap_is_named_under_its_field_and_nothing_is_stored) + "-rotation", async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/developers");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Webhooks" }).ClickAsync();
            hint = (await page.GetByRole(AriaRole.Table, new() { Name = "Webhook endpoints" }).Locator("code").First.TextContentAsync())!;
            await page.GetByRole(AriaRole.Button, new() { Name = $"Manage {agent.Url}" }).ClickAsync();

            await page.GetByLabel("Old secret keeps signing for (hours)").FillAsync("200");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();

            await Expect(page.Locator("#rotate-overlap-error")).ToHaveTextAsync("The overlap is 0 to 604800 seconds (7 days).");
            await Expect(page.Locator("#endpoint-secret")).ToHaveCountAsync(0);
        });
        using var check = _app.CreateHttpClient(tenant.ApiKey);
        var stored = (await check.ListAllAsync("/v1/webhook-endpoints"))[0];
        stored.GetProperty("secret_hint").GetString().ShouldBe(hint);
        stored.GetProperty("previous_secret_expires_at").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_admin_registers_a_confidential_and_a_public_client_and_deletes_one()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var other = await _app.NewTenantAsync();
        using (var othersOwner = _app.CreateHttpClient(other.ApiKey))
            (await othersOwner.PostAsJsonAsync("/v1/oauth-clients", new { name = "Someone else's client", scopes = new[] { "escalations:read" } }, Ct)).EnsureSuccessStatusCode();
        string clientId = "", secret = "";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_registers_a_confidential_and_a_public_client_and_deletes_one), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/developers");
            await page.GetByRole(AriaRole.Tab, new() { Name = "OAuth clients" }).ClickAsync();

            await page.Locator("#client-name").FillAsync("Triage agent");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register client" }).ClickAsync();
            secret = (await page.Locator("#new-client-secret").TextContentAsync())!.Trim();
            clientId = (await page.Locator("#new-client-id").TextContentAsync())!.Trim();
            secret.ShouldStartWith("ahcs_");
            clientId.ShouldStartWith("ahc_");

            // A public client needs a redirect URI, named under its field; nothing is registered without one.
            await page.Locator("#client-name").FillAsync("Support app");
            await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("public");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register client" }).ClickAsync();
            await Expect(page.Locator("#client-redirects-error")).ToHaveTextAsync("A public client needs at least one redirect URI.");
            var clients = page.GetByRole(AriaRole.Table, new() { Name = "OAuth clients" });
            await Expect(clients.Locator("tbody tr")).ToHaveCountAsync(1);

            await page.GetByLabel("Redirect URIs (one a line)").FillAsync("https://app.example.com/callback");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register client" }).ClickAsync();
            await Expect(page.GetByText("Client “Support app” registered.")).ToBeVisibleAsync();
            await Expect(page.Locator("#new-client-secret")).ToHaveCountAsync(0);
            await Expect(clients.Locator("tbody tr")).ToHaveCountAsync(2);
            await Expect(clients).ToContainTextAsync("https://app.example.com/callback");
            await Expect(page.GetByText("Someone else's client")).ToHaveCountAsync(0);
            await AdminLayout.KeepAtBothWidthsAsync(page, "developers-oauth-clients");

            (await TokenAsync(clientId, secret)).ShouldBe(HttpStatusCode.OK);

            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Triage agent" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.Locator("#clients-notice")).ToHaveTextAsync("Client “Triage agent” deleted.");
            await Expect(clients.Locator("tbody tr")).ToHaveCountAsync(1);
        });

        (await TokenAsync(clientId, secret)).ShouldNotBe(HttpStatusCode.OK);
    }

    async Task<HttpStatusCode> TokenAsync(string clientId, string secret)
    {
        using var anonymous = _app.CreateHttpClient();
        using var response = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }), Ct);
        return response.StatusCode;
    }
}
