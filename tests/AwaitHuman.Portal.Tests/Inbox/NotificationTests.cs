using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>Operators who ask for it hear and see when work is assigned to them, also with the page in the background.</summary>
public sealed class NotificationTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    /// <summary>Keeps every browser notification the page shows, as (title, body), in <c>window.notificationsShown</c>.</summary>
    const string NotificationRecorder = """
        (() => {
          const Real = window.Notification;
          window.notificationsShown = [];
          if (!Real) return;
          class Recorded extends Real {
            constructor(title, options) {
              window.notificationsShown.push({ title, body: options && options.body });
              super(title, options);
            }
          }
          window.Notification = Recorded;
        })();
        """;

    [Fact]
    public async Task An_escalation_transferred_to_me_shows_a_toast_and_a_browser_notification()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var supervisor = await tenant.MemberAsync("supervisor");
        var customer = ConsoleScenarios.CustomerName("Nora");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_escalation_transferred_to_me_shows_a_toast_and_a_browser_notification), async browser =>
        {
            var page = await SignInRecordingNotificationsAsync(browser, me, grantNotifications: true);

            await TurnOnNotificationsAsync(page);
            await Expect(NotificationStatus(page)).ToHaveTextAsync("On: here and on your desktop, with a tone.");

            await TransferToMeAsync(tenant, supervisor, me, customer);

            await Expect(page.GetByText($"Assigned to you: {customer}")).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "inbox-assigned-toast");
            await page.WaitForFunctionAsync("title => window.notificationsShown.some(n => n.title === title)", $"Assigned to you: {customer}");
            // The escalation was new unassigned work a moment before the transfer, which has a notice of its own.
            (await page.EvaluateAsync<int>("() => window.notificationsShown.filter(n => n.title.startsWith('Assigned to you')).length")).ShouldBe(1, "one notification for one assignment");
        });
    }

    [Fact]
    public async Task Where_the_browser_refuses_desktop_notifications_an_assignment_still_shows_a_toast()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var supervisor = await tenant.MemberAsync("supervisor");
        var customer = ConsoleScenarios.CustomerName("Ines");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Where_the_browser_refuses_desktop_notifications_an_assignment_still_shows_a_toast), async browser =>
        {
            // No permission granted: headless Chromium refuses the request, as a person clicking "Block" would.
            var page = await SignInRecordingNotificationsAsync(browser, me, grantNotifications: false);

            await TurnOnNotificationsAsync(page);
            await Expect(NotificationStatus(page)).ToHaveTextAsync("On: here with a tone. This browser does not allow desktop notifications for this site.");

            await TransferToMeAsync(tenant, supervisor, me, customer);

            await Expect(page.GetByText($"Assigned to you: {customer}")).ToBeVisibleAsync();
            (await page.EvaluateAsync<int>("() => window.notificationsShown.length")).ShouldBe(0);
        });
    }

    [Fact]
    public async Task Turning_notifications_off_again_stops_the_toasts()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var supervisor = await tenant.MemberAsync("supervisor");
        var customer = ConsoleScenarios.CustomerName("Olle");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Turning_notifications_off_again_stops_the_toasts), async browser =>
        {
            var page = await SignInRecordingNotificationsAsync(browser, me, grantNotifications: true);
            await TurnOnNotificationsAsync(page);
            await Expect(NotificationStatus(page)).ToHaveTextAsync("On: here and on your desktop, with a tone.");

            var notify = page.GetByLabel("Notify me of new assignments");
            await notify.UncheckAsync();
            await Expect(notify).Not.ToBeCheckedAsync();
            // The switch unticks in the browser at once; the status empties when the server has taken it in.
            await Expect(NotificationStatus(page)).ToHaveTextAsync("");

            var id = await TransferToMeAsync(tenant, supervisor, me, customer);
            await Expect(page.Row(id)).ToBeVisibleAsync();
            await Expect(page.GetByText($"Assigned to you: {customer}")).ToHaveCountAsync(0);
            (await page.EvaluateAsync<int>("() => window.notificationsShown.length")).ShouldBe(0);
        });
    }

    /// <summary>My inbox, live, in a browser that records the notifications it shows (<see cref="NotificationRecorder"/>).</summary>
    async Task<IPage> SignInRecordingNotificationsAsync(ConsoleBrowser browser, TestMember me, bool grantNotifications)
    {
        var page = await browser.NewPageAsync();
        if (grantNotifications)
            await page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = _app.Address.GetLeftPart(UriPartial.Authority) });
        await page.AddInitScriptAsync(NotificationRecorder);
        await ConsolePages.SignInAsync(page, me.Email, me.Password);
        return page;
    }

    /// <summary>What the console says beside the switch once the server has taken it in.</summary>
    static ILocator NotificationStatus(IPage page) => page.GetByRole(AriaRole.Status, new() { Name = "Notifications" });

    /// <summary>Flips the switch; the console's confirmation (checked by the caller) says the server has taken it in.</summary>
    static async Task TurnOnNotificationsAsync(IPage page)
    {
        var notify = page.GetByLabel("Notify me of new assignments");
        await notify.CheckAsync();
        await Expect(notify).ToBeCheckedAsync();
    }

    /// <summary>A new escalation for <paramref name="customer"/>, which the supervisor transfers to me.</summary>
    async Task<string> TransferToMeAsync(InboxTenant tenant, TestMember supervisor, TestMember me, string customer)
    {
        var id = await tenant.OpenAsync(customer);
        using var person = _app.CreateHttpClient(supervisor.Token);
        await person.ActOkAsync(id, "transfer", new { operator_id = me.PersonId, note = "You know this customer." });
        return id;
    }

    [Fact]
    public async Task Without_asking_for_notifications_an_assignment_shows_no_toast()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var supervisor = await tenant.MemberAsync("supervisor");
        var customer = ConsoleScenarios.CustomerName("Quin");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Without_asking_for_notifications_an_assignment_shows_no_toast), async browser =>
        {
            var page = await SignInRecordingNotificationsAsync(browser, me, grantNotifications: false);

            var id = await TransferToMeAsync(tenant, supervisor, me, customer);

            // The row arriving in Mine proves the page took the change in.
            await Expect(page.Row(id)).ToBeVisibleAsync();
            await Expect(page.GetByText($"Assigned to you: {customer}")).ToHaveCountAsync(0);
            (await page.EvaluateAsync<int>("() => window.notificationsShown.length")).ShouldBe(0);
        });
    }

    [Fact]
    public async Task A_rule_that_names_me_puts_the_escalation_under_needs_your_attention_until_I_mark_it_read()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("supervisor");
        var colleague = await tenant.MemberAsync("operator");
        var team = await tenant.TeamAsync("Disputes", [colleague]);
        await tenant.RoutesAndNotifiesAsync("refund_dispute", team, me);
        var customer = ConsoleScenarios.CustomerName("Vera");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_rule_that_names_me_puts_the_escalation_under_needs_your_attention_until_I_mark_it_read), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();

            var id = await tenant.OpenAsync(customer, request => request["reason"] = "refund_dispute");
            var notices = page.GetByRole(AriaRole.Region, new() { Name = "Needs your attention" });
            await Expect(notices.GetByRole(AriaRole.Link, new() { Name = customer })).ToHaveAttributeAsync("href", $"/escalations/{id}");
            await Expect(notices).ToContainTextAsync("routed by rule 1 (refund_dispute)");
            await Expect(page.GetByText($"Needs your attention: {customer}")).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "inbox-needs-attention");

            await notices.GetByRole(AriaRole.Button, new() { Name = $"Mark the notice about {customer} read" }).ClickAsync();
            await Expect(notices).ToHaveCountAsync(0);
        });

        using var person = _app.CreateHttpClient(me.Token);
        var unread = await person.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/operators/me/notifications?unread=true", TestContext.Current.CancellationToken);
        unread.GetProperty("items").GetArrayLength().ShouldBe(0);
    }
}
