using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Inbox;

/// <summary>The inbox's views: what each one lists, and who has which.</summary>
public sealed class InboxViewsTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static string Name(string first) => ConsoleScenarios.CustomerName(first);

    [Fact]
    public async Task Mine_lists_what_I_own_and_what_is_offered_to_me_marked_offered_to_you()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var team = await tenant.TeamAsync("Billing", [me], assignment: "offer");
        await tenant.RoutesAsync(("billing_question", team, null));
        await tenant.OnlineAsync(me);
        var owned = await tenant.OpenAsync(Name("Olga"));
        // Routing decides first; a claim racing it would be the API's documented 409 for concurrent commands.
        await tenant.WhenAsync(owned, "routed");
        using (var person = _app.CreateHttpClient(me.Token)) await person.ActOkAsync(owned, "claim");
        var offered = await tenant.OpenAsync(Name("Omar"), r => r["reason"] = "billing_question");
        await tenant.WhenAsync(offered, "offered");
        var nobodys = await tenant.OpenAsync(Name("Ulla"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Mine_lists_what_I_own_and_what_is_offered_to_me_marked_offered_to_you), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await Expect(page.ViewButton("Mine")).ToHaveAttributeAsync("aria-current", "page");
            await page.ShowsExactlyAsync(owned, offered);
            await Expect(page.Row(offered)).ToContainTextAsync("offered to you");
            await Expect(page.Row(owned)).Not.ToContainTextAsync("offered to you");
            await Expect(page.Row(owned)).ToContainTextAsync("With a human");
            await Screenshots.KeepAsync(page, "inbox-mine");
            await Expect(page.Row(nobodys)).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Unassigned_lists_what_nobody_owns_and_not_what_someone_took()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var colleague = await tenant.MemberAsync("operator");
        var taken = await tenant.OpenAsync(Name("Tom"));
        using (var person = _app.CreateHttpClient(colleague.Token)) await person.ActOkAsync(taken, "claim");
        var free = await tenant.OpenAsync(Name("Fay"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Unassigned_lists_what_nobody_owns_and_not_what_someone_took), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await page.ShowViewAsync("Unassigned");
            await page.ShowsExactlyAsync(free);
            await Screenshots.KeepAsync(page, "inbox-unassigned");
        });
    }

    [Fact]
    public async Task Each_team_I_am_in_has_a_view_listing_what_was_routed_to_it()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var colleague = await tenant.MemberAsync("operator");
        var billing = await tenant.TeamAsync("Billing", [me]);
        var legal = await tenant.TeamAsync("Legal", [colleague]);
        await tenant.RoutesAsync(("billing_question", billing, null), ("legal_threat", legal, null));
        // Nobody is online: routed escalations wait in their team's queue.
        var ours = await tenant.OpenAsync(Name("Bea"), r => r["reason"] = "billing_question");
        var theirs = await tenant.OpenAsync(Name("Leo"), r => r["reason"] = "legal_threat");
        var unrouted = await tenant.OpenAsync(Name("Una"));
        await tenant.WhenAsync(ours, "queued");
        await tenant.WhenAsync(theirs, "queued");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Each_team_I_am_in_has_a_view_listing_what_was_routed_to_it), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await Expect(page.ViewButton("Legal")).ToHaveCountAsync(0);
            await page.ShowViewAsync("Billing");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($@"\?view=team%3A{billing}$"));
            await page.ShowsExactlyAsync(ours);
            await Expect(page.Row(ours)).ToContainTextAsync("Billing");
            await Screenshots.KeepAsync(page, "inbox-team");
            await Expect(page.Row(unrouted)).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task An_operator_has_no_All_view_and_a_supervisor_sees_everyones_work_in_it()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var operatorMember = await tenant.MemberAsync("operator");
        var supervisor = await tenant.MemberAsync("supervisor");
        var claimed = await tenant.OpenAsync(Name("Cleo"));
        using (var person = _app.CreateHttpClient(operatorMember.Token)) await person.ActOkAsync(claimed, "claim");
        var free = await tenant.OpenAsync(Name("Finn"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_has_no_All_view_and_a_supervisor_sees_everyones_work_in_it), async browser =>
        {
            var operatorPage = await browser.SignInAsync(operatorMember);
            await Expect(operatorPage.ViewButton("Unassigned")).ToBeVisibleAsync();
            await Expect(operatorPage.ViewButton("All")).ToHaveCountAsync(0);

            var supervisorPage = await browser.SignInAsync(supervisor);
            await supervisorPage.ShowViewAsync("All");
            await supervisorPage.ShowsExactlyAsync(claimed, free);
            await Screenshots.KeepAsync(supervisorPage, "inbox-all");
        });
    }

    [Fact]
    public async Task Waiting_on_customer_lists_open_escalations_whose_last_message_is_the_operators()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var answered = await tenant.OpenAsync(Name("Wes"));
        var notYet = await tenant.OpenAsync(Name("Nia"));
        using var person = _app.CreateHttpClient(me.Token);
        await person.ActOkAsync(answered, "claim");
        await person.ActOkAsync(answered, "reply", new { content = "We refunded the second charge; anything else?" });
        await person.ActOkAsync(notYet, "claim");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Waiting_on_customer_lists_open_escalations_whose_last_message_is_the_operators), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await page.ShowViewAsync("Waiting on customer");
            await page.ShowsExactlyAsync(answered);
            await Screenshots.KeepAsync(page, "inbox-waiting");

            // The customer answers: the ball is in the operator's court again.
            await tenant.CustomerWritesAsync(answered, "Nothing else, thanks!");
            await page.ShowsExactlyAsync();
        });
    }

    [Fact]
    public async Task Resolved_lists_finished_escalations_and_no_open_ones()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var finished = await tenant.OpenAsync(Name("Rita"));
        var open = await tenant.OpenAsync(Name("Otto"));
        using var person = _app.CreateHttpClient(me.Token);
        await person.ActOkAsync(finished, "claim");
        await person.ActOkAsync(finished, "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded the double charge." } });

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Resolved_lists_finished_escalations_and_no_open_ones), async browser =>
        {
            var page = await browser.SignInAsync(me);
            await page.ShowViewAsync("Resolved");
            await page.ShowsExactlyAsync(finished);
            await Expect(page.Row(finished)).ToContainTextAsync("Resolved");
            await Screenshots.KeepAsync(page, "inbox-resolved");
            await Expect(page.Row(open)).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task A_view_in_the_address_the_person_does_not_have_shows_their_own_work_and_never_another_tenants()
    {
        using var tenant = await InboxTenant.StartAsync(_app);
        var me = await tenant.MemberAsync("operator");
        var colleague = await tenant.MemberAsync("operator");
        var mine = await tenant.OpenAsync(Name("Mia"));
        var colleagues = await tenant.OpenAsync(Name("Cole"));
        var free = await tenant.OpenAsync(Name("Flo"));
        using (var person = _app.CreateHttpClient(me.Token)) await person.ActOkAsync(mine, "claim");
        using (var person = _app.CreateHttpClient(colleague.Token)) await person.ActOkAsync(colleagues, "claim");

        // Another tenant's team, with work routed to it.
        using var other = await InboxTenant.StartAsync(_app);
        var stranger = await other.MemberAsync("operator");
        var theirTeam = await other.TeamAsync("Billing", [stranger]);
        await other.RoutesAsync(("refund_dispute", theirTeam, null));
        var theirs = await other.OpenAsync(Name("Xena"));
        await other.WhenAsync(theirs, "queued");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_view_in_the_address_the_person_does_not_have_shows_their_own_work_and_never_another_tenants), async browser =>
        {
            var page = await browser.SignInAsync(me);
            foreach (var view in new[] { "all", $"team:{theirTeam}", "team:not-a-guid", "nonsense" })
            {
                await ConsolePages.GoToAsync(page, $"/?view={Uri.EscapeDataString(view)}");
                await Expect(page.ViewButton("Mine")).ToHaveAttributeAsync("aria-current", "page");
                await page.ShowsExactlyAsync(mine);
                await Expect(page.GetByText("Xena")).ToHaveCountAsync(0);
            }
            await Expect(page.Row(colleagues)).ToHaveCountAsync(0);
            await Expect(page.Row(free)).ToHaveCountAsync(0);
        });
    }
}
