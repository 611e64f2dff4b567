using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>The inbox without a mouse: j / k move, Enter opens, r opens to reply, e opens to resolve.</summary>
public sealed class KeyboardTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static Task ExpectSelectedAsync(IPage page, string id) =>
        Expect(page.Rows().And(page.Locator("[aria-selected='true']"))).ToHaveAttributeAsync("data-escalation", id);

    [Fact]
    public async Task J_and_k_move_the_selection_and_Enter_opens_the_selected_escalation()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        string[] ids = [await tenant.OpenAsync(ConsoleScenarios.CustomerName("Jon")), await tenant.OpenAsync(ConsoleScenarios.CustomerName("Kim")), await tenant.OpenAsync(ConsoleScenarios.CustomerName("Lou"))];

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(J_and_k_move_the_selection_and_Enter_opens_the_selected_escalation), async browser =>
        {
            var page = await InboxKeys.SignInAsync(browser, me);
            await InboxKeys.ShowUnassignedListeningAsync(page);
            await page.ShowsExactlyAsync(ids);
            await ExpectSelectedAsync(page, ids[0]);

            await page.Keyboard.PressAsync("j");
            await ExpectSelectedAsync(page, ids[1]);
            await page.Keyboard.PressAsync("j");
            await ExpectSelectedAsync(page, ids[2]);
            await page.Keyboard.PressAsync("j");
            await ExpectSelectedAsync(page, ids[2]);
            await page.Keyboard.PressAsync("k");
            await ExpectSelectedAsync(page, ids[1]);
            await Expect(page.Locator("tr[aria-selected='true']")).ToHaveCountAsync(1);
            await Screenshots.KeepAsync(page, "inbox-keyboard-selection");

            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/escalations/{ids[1]}$"));
        });
    }

    [Fact]
    public async Task R_opens_the_selected_escalation_with_the_reply_box_focused()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var id = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Ray"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(R_opens_the_selected_escalation_with_the_reply_box_focused), async browser =>
        {
            var page = await InboxKeys.SignInAsync(browser, me);
            await InboxKeys.ShowUnassignedListeningAsync(page);
            await ExpectSelectedAsync(page, id);
            await page.Keyboard.PressAsync("r");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/escalations/{id}\\?compose=reply$"));
            await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToBeFocusedAsync();
        });
    }

    [Fact]
    public async Task E_opens_the_selected_escalation_with_the_resolve_summary_focused()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var id = await tenant.OpenAsync(ConsoleScenarios.CustomerName("Eve"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(E_opens_the_selected_escalation_with_the_resolve_summary_focused), async browser =>
        {
            var page = await InboxKeys.SignInAsync(browser, me);
            await InboxKeys.ShowUnassignedListeningAsync(page);
            await ExpectSelectedAsync(page, id);
            await page.Keyboard.PressAsync("e");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/escalations/{id}\\?compose=resolve$"));
            await Expect(page.GetByLabel("Summary", new() { Exact = true })).ToBeFocusedAsync();
        });
    }
}
