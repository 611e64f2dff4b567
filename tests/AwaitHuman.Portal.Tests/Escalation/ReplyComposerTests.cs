using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>The reply composer: the preferred channel first, each channel's rules shown before the click, and canned replies.</summary>
public sealed class ReplyComposerTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task The_channel_switcher_starts_on_the_preferred_channel_and_the_customer_card_counts_down_the_whatsapp_window()
    {
        var (tenant, member) = await TenantWithOperatorAsync();
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Ada"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_channel_switcher_starts_on_the_preferred_channel_and_the_customer_card_counts_down_the_whatsapp_window), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");

            var channel = page.GetByRole(AriaRole.Combobox, new() { Name = "Channel", Exact = true });
            await Expect(channel).ToHaveValueAsync("whatsapp");
            await Expect(channel.Locator("option:checked")).ToHaveTextAsync("WhatsApp (preferred)");
            await Expect(page.GetByLabel("WhatsApp window")).ToContainTextAsync(new Regex("^open for "));
            await Expect(page.Locator("#reply-check")).ToContainTextAsync("Goes by WhatsApp");
        });
    }

    [Fact]
    public async Task Free_text_on_whatsapp_two_days_after_the_customer_wrote_is_refused_before_sending_and_nothing_is_recorded()
    {
        var (tenant, member) = await TenantWithOperatorAsync();
        var id = await _app.OpenEscalationAsync(tenant, WhatsAppTwoDaysAgo(ConsoleScenarios.CustomerName("Olga")));
        await _app.ClaimAsync(member, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Free_text_on_whatsapp_two_days_after_the_customer_wrote_is_refused_before_sending_and_nothing_is_recorded), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");

            await Expect(page.GetByLabel("WhatsApp window")).ToContainTextAsync("closed");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true }).FillAsync("Sorry for the wait, here is your refund.");
            var check = page.Locator("#reply-check");
            await Expect(check).ToContainTextAsync("24-hour window closed");
            await Screenshots.KeepAsync(page, "escalation-whatsapp-window-closed");

            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("24-hour window closed");
        });

        await using var events = _app.Store.QuerySession(tenant.TenantId);
        (await events.Events.FetchStreamAsync(Guid.Parse(id), token: TestContext.Current.CancellationToken)).ShouldNotContain(e => e.Data is OperatorReplied);
    }

    [Fact]
    public async Task An_approved_template_goes_when_the_whatsapp_window_is_closed()
    {
        var (tenant, member) = await TenantWithOperatorAsync();
        var id = await _app.OpenEscalationAsync(tenant, WhatsAppTwoDaysAgo(ConsoleScenarios.CustomerName("Piet")));
        await _app.ClaimAsync(member, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_approved_template_goes_when_the_whatsapp_window_is_closed), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");

            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Send an approved template instead" }).CheckAsync();
            await page.GetByLabel("Template content SID").FillAsync("HX0123456789abcdef0123456789abcdef");
            await page.GetByLabel("Variables (one name=value per line)").FillAsync("1=Piet\n2=1042");
            await Expect(page.Locator("#reply-check")).ToContainTextAsync("Goes by WhatsApp");
            await Screenshots.KeepAsync(page, "escalation-whatsapp-template");

            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Eventually.GetAsync(async () =>
            {
                await using var events = _app.Store.QuerySession(tenant.TenantId);
                return (await events.Events.FetchStreamAsync(Guid.Parse(id), token: TestContext.Current.CancellationToken)).Select(e => e.Data).OfType<OperatorReplied>().ToArray() is { Length: > 0 } replies ? replies : null;
            }, TimeSpan.FromSeconds(10), "the template reply");
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task On_sms_the_check_line_counts_characters_and_segments_in_gsm_7_or_ucs_2()
    {
        var (tenant, member) = await TenantWithOperatorAsync();
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["name"] = ConsoleScenarios.CustomerName("Sami");
        request["customer"]!["phone"] = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        request["customer"]!["preferred_channel"] = "sms";
        var id = await _app.OpenEscalationAsync(tenant, request);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(On_sms_the_check_line_counts_characters_and_segments_in_gsm_7_or_ucs_2), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Channel", Exact = true })).ToHaveValueAsync("sms");

            var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true });
            var check = page.Locator("#reply-check");
            await reply.FillAsync("Your refund is on its way.");
            await Expect(check).ToContainTextAsync("26 characters in 1 segment (GSM-7)");

            await reply.FillAsync("Your refund is on its way 👍");
            await Expect(check).ToContainTextAsync("(UCS-2)");
            await Expect(check).ToContainTextAsync("1 segment");
            await reply.FillAsync(new string('a', 60) + " 👍 " + new string('b', 20));
            await Expect(check).ToContainTextAsync("2 segments (UCS-2)");
            await Screenshots.KeepAsync(page, "escalation-sms-segments");
        });
    }

    [Fact]
    public async Task A_managed_canned_reply_with_the_customer_name_variable_fills_in_the_customers_name_and_operators_cannot_save_one()
    {
        var (tenant, member) = await TenantWithOperatorAsync();
        var customer = ConsoleScenarios.CustomerName("Tomas");
        var id = await _app.OpenEscalationAsync(tenant, customer);
        var canned = $"Hello {{customer.name}}, thanks for waiting ({Guid.NewGuid():N}).";
        using (var owner = _app.CreateHttpClient(tenant.ApiKey))
            (await owner.PostAsJsonAsync("/v1/canned-replies", new { title = "Thanks for waiting", shortcut = "thanks", text = canned }, TestContext.Current.CancellationToken))
                .EnsureSuccessStatusCode();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_managed_canned_reply_with_the_customer_name_variable_fills_in_the_customers_name_and_operators_cannot_save_one), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = customer, Level = 1 })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Canned reply" }).SelectOptionAsync(new SelectOptionValue { Label = "Thanks for waiting (/thanks)" });
            await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true }))
                .ToHaveValueAsync(canned.Replace("{customer.name}", customer));
            // Operators use canned replies; supervisors and admins manage them on their page.
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save as canned reply" })).ToHaveCountAsync(0);
            await Screenshots.KeepAsync(page, "escalation-canned-reply");
        });
    }

    async Task<(TestTenantAccount, TestMember)> TenantWithOperatorAsync()
    {
        var tenant = await _app.NewTenantAsync();
        return (tenant, await _app.NewMemberAsync(tenant, "operator"));
    }

    /// <summary>A WhatsApp customer whose last message to the agent was two days ago: the 24-hour window is closed.</summary>
    static JsonObject WhatsAppTwoDaysAgo(string customerName)
    {
        var request = ConsoleScenarios.WhatsAppRequest(customerName);
        var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
        request["transcript"]![0]!["at"] = twoDaysAgo.ToString("O");
        request["transcript"]![1]!["at"] = twoDaysAgo.AddSeconds(5).ToString("O");
        return request;
    }
}
