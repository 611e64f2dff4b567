using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Portal.Tests.Admin;

/// <summary>The channels page: one form per connector, secrets write-only, webhook addresses, test send, enable and disable, web chat with its snippet and preview.</summary>
public sealed class ChannelsPageTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string NewAuthToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    async Task<JsonElement[]> ConnectionsAsync(TestTenantAccount tenant)
    {
        using var client = _app.CreateHttpClient(tenant.ApiKey);
        return [.. (await (await client.GetAsync("/v1/channel-connections?limit=100", Ct)).JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task An_admin_connects_Twilio_SMS_sends_a_test_that_Twilio_receives_and_the_secret_never_reaches_the_page()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var accountSid = TwilioApiFake.NewAccountSid();
        var authToken = NewAuthToken();
        var newAuthToken = NewAuthToken();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_admin_connects_Twilio_SMS_sends_a_test_that_Twilio_receives_and_the_secret_never_reaches_the_page), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await page.GetByRole(AriaRole.Link, new() { Name = "Channels", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Channels", Level = 1 })).ToBeVisibleAsync();
            var connections = page.GetByRole(AriaRole.Table, new() { Name = "Connections" });
            await Expect(connections).ToContainTextAsync("Sandbox (simulated customer device)");

            await page.GetByRole(AriaRole.Button, new() { Name = "Twilio SMS" }).ClickAsync();
            var form = page.GetByRole(AriaRole.Form, new() { Name = "Connect Twilio SMS" });
            await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Support line");
            await form.GetByLabel("Account SID").FillAsync(accountSid);
            await form.GetByLabel("From number (optional)").FillAsync("+14155550100");
            await form.GetByLabel("Auth token").FillAsync(authToken);
            await Expect(form.GetByLabel("WhatsApp sender number (optional)")).ToHaveCountAsync(0);
            await form.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

            await Expect(page.Locator("#channels-notice")).ToContainTextAsync("Support line connected. Paste its webhook addresses");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Support line", Level = 2 })).ToBeVisibleAsync();
            var stored = (await ConnectionsAsync(tenant)).Single(c => c.GetProperty("provider").GetString() == "twilio");
            var id = stored.GetProperty("id").GetString();
            stored.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ShouldBe(["sms"]);
            stored.GetProperty("settings").GetProperty("account_sid").GetString().ShouldBe(accountSid);
            var inbound = new Uri(_app.Address, $"connectors/twilio/{id}/inbound").ToString();
            await Expect(page.GetByRole(AriaRole.List, new() { Name = "Webhook addresses" })).ToContainTextAsync(inbound);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy the inbound address" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Account SID")).ToHaveValueAsync(accountSid);
            await Expect(page.GetByLabel("Auth token")).ToHaveValueAsync("");
            await Expect(page.GetByLabel("Auth token")).ToHaveAttributeAsync("placeholder", "stored; leave empty to keep");
            (await page.ContentAsync()).ShouldNotContain(authToken);

            await page.GetByLabel("Send to").FillAsync("+14155550123");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
            // The first send of the run warms up the Twilio SDK and the fake under a loaded machine: it has taken over 10 s.
            await Expect(page.Locator("#test-result")).ToContainTextAsync("Accepted by the provider as SM", new() { Timeout = 45_000 });
            var sent = (await TwilioApiFake.Shared.SendsAsync(accountSid, 1)).ShouldHaveSingleItem();
            sent.Accepted.ShouldBeTrue();
            sent.Field("To").ShouldBe("+14155550123");
            sent.Field("From").ShouldBe("+14155550100");
            sent.Field("Body").ShouldBe("Test message from AwaitHuman");
            sent.Authorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}")));

            // A refusal is the connection's last error, with when.
            TwilioApiFake.Shared.AnswerNext(accountSid, 400);
            await page.GetByLabel("Send to").FillAsync("+1555");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
            await Expect(page.Locator("#test-result")).ToContainTextAsync("Refused (21211)");
            await Expect(page.Locator("#last-error")).ToContainTextAsync("Last error");
            await Expect(page.Locator("#last-error")).ToContainTextAsync("21211");
            await Expect(connections.GetByRole(AriaRole.Row).Filter(new() { HasText = "Support line" })).ToContainTextAsync("UTC");

            // A new auth token replaces the old; the settings form never shows either.
            await page.GetByLabel("Auth token").FillAsync(newAuthToken);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(page.Locator("#channels-notice")).ToHaveTextAsync("Support line saved.");
            await Expect(page.GetByLabel("Auth token")).ToHaveValueAsync("");
            var html = await page.ContentAsync();
            html.ShouldNotContain(authToken);
            html.ShouldNotContain(newAuthToken);
            await page.GetByLabel("Send to").FillAsync("+14155550124");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
            await Expect(page.Locator("#test-result")).ToContainTextAsync("Accepted by the provider");
            (await TwilioApiFake.Shared.SendsAsync(accountSid, 3))[2].Authorization
                .ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{newAuthToken}")));

            await AdminLayout.KeepAtBothWidthsAsync(page, "channels-twilio");

            await page.GetByRole(AriaRole.Button, new() { Name = "Disable Support line" }).ClickAsync();
            await Expect(page.Locator("#channels-notice")).ToContainTextAsync("Support line disabled");
            await Expect(connections.GetByRole(AriaRole.Row).Filter(new() { HasText = "Support line" }).Locator(".state")).ToHaveTextAsync("disabled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
            await Expect(page.Locator("#channels-problem")).ToContainTextAsync("disabled; enable it first");
            await page.GetByRole(AriaRole.Button, new() { Name = "Enable Support line" }).ClickAsync();
            await Expect(connections.GetByRole(AriaRole.Row).Filter(new() { HasText = "Support line" }).Locator(".state")).ToHaveTextAsync("enabled");
            (await page.ContentAsync()).ShouldNotContain(newAuthToken);
            await page.ReloadAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Channels", Level = 1 })).ToBeVisibleAsync();
            (await page.ContentAsync()).ShouldNotContain(newAuthToken);
        });

        (await ConnectionsAsync(tenant)).Single(c => c.GetProperty("provider").GetString() == "twilio").GetProperty("status").GetString().ShouldBe("enabled");
    }

    [Fact]
    public async Task Web_chat_is_set_up_with_its_script_tag_a_secret_shown_once_and_a_live_preview()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Web_chat_is_set_up_with_its_script_tag_a_secret_shown_once_and_a_live_preview), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/channels");
            await page.GetByRole(AriaRole.Button, new() { Name = "Web chat" }).ClickAsync();
            var form = page.GetByRole(AriaRole.Form, new() { Name = "Connect Web chat" });
            await form.GetByLabel("Allowed origins").FillAsync("https://www.example.com, https://shop.example.com");
            await form.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

            await Expect(page.Locator("#channels-notice")).ToHaveTextAsync("Web chat connected.");
            var secret = (await page.Locator("#signing-secret").TextContentAsync())!.Trim();
            secret.Length.ShouldBeGreaterThanOrEqualTo(32);
            var id = (await ConnectionsAsync(tenant)).Single(c => c.GetProperty("provider").GetString() == "webchat").GetProperty("id").GetString();
            await Expect(page.Locator("#webchat-snippet")).ToHaveTextAsync(
                $"""<script src="{_app.Address}connectors/webchat/widget.js" data-connection="{id}" data-token="SESSION_TOKEN_FROM_YOUR_BACKEND" data-title="Talk to us" data-open="true"></script>""");
            await Expect(page.GetByLabel("Allowed origins")).ToHaveValueAsync("https://www.example.com, https://shop.example.com");

            await page.GetByRole(AriaRole.Button, new() { Name = "Preview the widget" }).ClickAsync();
            var widget = page.Locator("[data-awaithuman-chat]");
            await Expect(widget.GetByRole(AriaRole.Dialog, new() { Name = "Web chat" })).ToBeVisibleAsync();
            // Signed with the stored secret, the preview's token is accepted: the widget waits for a conversation instead of reporting an expired session.
            await Expect(widget.GetByRole(AriaRole.Status)).ToHaveTextAsync("This conversation is not open yet.");
            await AdminLayout.KeepAtBothWidthsAsync(page, "channels-webchat");
            await page.GetByRole(AriaRole.Button, new() { Name = "Close the preview" }).ClickAsync();
            await Expect(widget).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Button, new() { Name = "I have stored it" }).ClickAsync();
            await Expect(page.Locator("#signing-secret")).ToHaveCountAsync(0);
            (await page.ContentAsync()).ShouldNotContain(secret);
            await page.ReloadAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Open Web chat" }).ClickAsync();
            await Expect(page.Locator("#webchat-snippet")).ToBeVisibleAsync();
            (await page.ContentAsync()).ShouldNotContain(secret);

            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Web chat" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete connection" }).ClickAsync();
            await Expect(page.Locator("#channels-notice")).ToHaveTextAsync("Web chat deleted.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Connections" })).Not.ToContainTextAsync("Web chat");
        });

        (await ConnectionsAsync(tenant)).ShouldNotContain(c => c.GetProperty("provider").GetString() == "webchat");
    }

    [Fact]
    public async Task Bad_input_is_named_under_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Bad_input_is_named_under_each_field_and_nothing_is_stored), async browser =>
        {
            var page = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(page, "/admin/channels");

            await page.GetByRole(AriaRole.Button, new() { Name = "Twilio SMS" }).ClickAsync();
            var form = page.GetByRole(AriaRole.Form, new() { Name = "Connect Twilio SMS" });
            await form.GetByLabel("Name", new() { Exact = true }).FillAsync("");
            await form.GetByLabel("Account SID").FillAsync("AC-not-a-sid");
            await form.GetByLabel("From number (optional)").FillAsync("07700 900123");
            await form.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
            await Expect(page.Locator("#new-name-error")).ToHaveTextAsync("A name is required.");
            await Expect(page.Locator("#new-secrets-auth_token-error")).ToContainTextAsync("Required");
            await Expect(form.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

            await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Support line");
            await form.GetByLabel("Auth token").FillAsync("not-hex");
            await form.GetByLabel("API key SID (optional)").FillAsync("SK0123456789abcdef0123456789abcdef");
            await form.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
            await Expect(page.Locator("#new-settings-account_sid-error")).ToHaveTextAsync("Must be an Account SID: AC followed by 32 hex digits.");
            await Expect(page.Locator("#new-settings-from-error")).ToHaveTextAsync("Must be a phone number in E.164, e.g. +14155550100.");
            await Expect(page.Locator("#new-secrets-auth_token-error")).ToHaveTextAsync("Must be the account's auth token: 32 hex digits.");
            await Expect(page.Locator("#new-secrets-api_key_secret-error")).ToHaveTextAsync("Needed with api_key_sid.");
            await Expect(page.Locator("#new-name-error")).ToHaveCountAsync(0);
            (await page.ContentAsync()).ShouldNotContain("SK0123456789abcdef0123456789abcdef");
            await AdminLayout.KeepAtBothWidthsAsync(page, "channels-refused");

            await page.GetByRole(AriaRole.Button, new() { Name = "Web chat" }).ClickAsync();
            var webChat = page.GetByRole(AriaRole.Form, new() { Name = "Connect Web chat" });
            await webChat.GetByLabel("Allowed origins").FillAsync("https://www.example.com/shop");
            await webChat.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
            await Expect(page.Locator("#new-settings-allowed_origins-error")).ToBeVisibleAsync();

            // Editing the sandbox's name to nothing is refused too, and the stored name stays.
            await page.GetByRole(AriaRole.Button, new() { Name = "Open Sandbox (simulated customer device)" }).ClickAsync();
            await page.GetByLabel("Send to").FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
            await Expect(page.Locator("#test-to-error")).ToHaveTextAsync("The address to send to is required.");
        });

        var connections = await ConnectionsAsync(tenant);
        connections.Select(c => c.GetProperty("provider").GetString()).Order().ShouldBe(["agent_relay", "sandbox"]);
        connections.ShouldAllBe(c => c.GetProperty("last_error").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task An_operator_is_refused_and_another_tenants_connections_never_show()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var member = await _app.NewMemberAsync(tenant, "operator");
        var other = await _app.NewTenantAsync();
        using (var othersClient = _app.CreateHttpClient(other.ApiKey))
        {
            using var created = await othersClient.PostAsJsonAsync("/v1/channel-connections", new
            {
                provider = "twilio", name = "Their secret line", channels = new[] { "sms" },
                settings = new Dictionary<string, string> { ["account_sid"] = TwilioApiFake.NewAccountSid(), ["from"] = "+14155550100" },
                secrets = new Dictionary<string, string> { ["auth_token"] = NewAuthToken() },
            }, Ct);
            created.EnsureSuccessStatusCode();
        }
        var theirs = (await ConnectionsAsync(other)).Single(c => c.GetProperty("provider").GetString() == "twilio").GetProperty("id").GetString()!;

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_is_refused_and_another_tenants_connections_never_show), async browser =>
        {
            var operatorPage = await browser.SignInAsync(member);
            await Expect(operatorPage.GetByRole(AriaRole.Link, new() { Name = "Channels", Exact = true })).ToHaveCountAsync(0);
            await operatorPage.GotoAsync("/admin/channels");
            await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(operatorPage.GetByRole(AriaRole.Table, new() { Name = "Connections" })).ToHaveCountAsync(0);

            var adminPage = await browser.SignInAsync(admin);
            await ConsolePages.GoToAsync(adminPage, "/admin/channels");
            await Expect(adminPage.GetByRole(AriaRole.Table, new() { Name = "Connections" })).ToContainTextAsync("Agent relay");
            var html = await adminPage.ContentAsync();
            html.ShouldNotContain("Their secret line");
            html.ShouldNotContain(theirs);
        });
    }
}
