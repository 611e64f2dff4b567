using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.PeopleNotifications;
using AwaitHuman.Testing;
using Marten;
using Wolverine.Tracking;

namespace AwaitHuman.Server.Tests.Routing;

/// <summary>
/// A rule's <c>notify</c> and an SLA step's supervisors reach the people named: listed for them and mailed;
/// the person routing assigns learns it by mail. The mails a person turned off in their profile are not sent.
/// </summary>
public class PeopleNotificationTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement[]> NotificationsAsync(HttpClient person, bool unread = false)
    {
        using var response = await person.GetAsync($"/v1/operators/me/notifications{(unread ? "?unread=true" : "")}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task A_rules_notify_reaches_the_named_person_by_list_and_mail_and_nobody_else_sees_it()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2);
        var told = routed.Operators[1];
        await routed.SendOkAsync(HttpMethod.Put, "/v1/routing-rules", new
        {
            rules = new object[]
            {
                new { name = "disputes", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } },
                      then = new { route_to_team = routed.TeamId, notify = new[] { told.PersonId } } },
            },
        });
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "people_notified");

        var toldClient = routed.OperatorClient(1);
        var notice = (await Eventually.GetAsync(async () => await NotificationsAsync(toldClient) is { Length: > 0 } items ? items : null, TimeSpan.FromSeconds(10), "the notification")).ShouldHaveSingleItem();
        notice.GetProperty("escalation_id").GetString().ShouldBe(id);
        notice.GetProperty("why").GetString()!.ShouldStartWith("routed by rule 1 (disputes) v2");
        notice.GetProperty("customer_name").GetString().ShouldBe("Ada Lovelace");
        notice.GetProperty("read_at").ValueKind.ShouldBe(JsonValueKind.Null);

        var mail = (await _app.LatestSandboxEmailAsync(told.Email, NotifyPeopleHandler.MailPurpose)).ShouldNotBeNull();
        mail.Subject.ShouldBe("Needs your attention: Ada Lovelace");
        mail.Text.ShouldContain($"/escalations/{id}");
        (await _app.LatestSandboxEmailAsync(routed.Operators[0].Email, NotifyPeopleHandler.MailPurpose)).ShouldBeNull();

        // The other operator has nothing, and cannot mark someone else's notice.
        var other = routed.OperatorClient(0);
        (await NotificationsAsync(other)).ShouldBeEmpty();
        var noticeId = notice.GetProperty("id").GetString();
        (await other.PostAsync($"/v1/operators/me/notifications/{noticeId}/read", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Another tenant's person neither.
        var stranger = _app.CreateHttpClient((await _app.NewMemberAsync(await _app.NewTenantAsync(), "admin")).Token);
        (await NotificationsAsync(stranger)).ShouldBeEmpty();
        (await stranger.PostAsync($"/v1/operators/me/notifications/{noticeId}/read", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await NotificationsAsync(toldClient, unread: true)).ShouldHaveSingleItem("nothing changed by the refused attempts");

        using var read = await toldClient.PostAsync($"/v1/operators/me/notifications/{noticeId}/read", null, Ct);
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await read.JsonAsync()).GetProperty("read_at").ValueKind.ShouldBe(JsonValueKind.String);
        (await NotificationsAsync(toldClient, unread: true)).ShouldBeEmpty();
        (await NotificationsAsync(toldClient)).ShouldHaveSingleItem();
    }

    async Task<SandboxEmail[]> MailsAboutAsync(string to, string purpose, string escalationId)
    {
        await using var session = _app.Store.QuerySession();
        var mails = await session.Query<SandboxEmail>().Where(mail => mail.To == to.ToLowerInvariant() && mail.Purpose == purpose).ToListAsync(Ct);
        return [.. mails.Where(mail => mail.Text.Contains($"/escalations/{escalationId}"))];
    }

    /// <summary>Opens an escalation and waits until everything it set off (routing, assignment, mails) has been handled.</summary>
    async Task<string> OpenAndSettleAsync(RoutedTenant routed)
    {
        var id = "";
        await _app.Host.TrackActivity(TimeSpan.FromSeconds(30)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ => id = await routed.OpenAsync()));
        await routed.WhenAsync(id, "assigned");
        return id;
    }

    [Fact]
    public async Task The_assigned_person_is_mailed_unless_they_turned_it_off_in_their_profile()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        var person = routed.Operators[0];
        await routed.OnlineAsync(0);

        var first = await OpenAndSettleAsync(routed);
        var mail = (await Eventually.GetAsync(async () => await MailsAboutAsync(person.Email, NotifyPeopleHandler.AssignedMailPurpose, first) is { Length: > 0 } found ? found : null,
            TimeSpan.FromSeconds(10), "the assignment mail")).ShouldHaveSingleItem();
        mail.Subject.ShouldBe("Assigned to you: Ada Lovelace");
        mail.Text.ShouldContain("/account/profile");
        // An assignment is no notice: the inbox shows it already.
        (await NotificationsAsync(routed.OperatorClient(0))).ShouldBeEmpty();

        using (var patch = await routed.OperatorClient(0).PatchAsJsonAsync("/v1/me/profile", new { email_when_assigned = false }, Ct))
            patch.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await OpenAndSettleAsync(routed);
        (await MailsAboutAsync(person.Email, NotifyPeopleHandler.AssignedMailPurpose, second)).ShouldBeEmpty("the person turned assignment mails off");
        (await MailsAboutAsync(person.Email, NotifyPeopleHandler.AssignedMailPurpose, first)).ShouldHaveSingleItem("the first assignment was mailed once");
    }

    [Fact]
    public async Task A_supervisor_who_turned_off_sla_mails_still_gets_the_notice_but_no_mail()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1, policy: new
        {
            name = "Watched",
            first_response_seconds = 60,
            steps = new object[] { new { after_seconds = 1, action = "notify_supervisors" } },
        });
        var supervisor = routed.Operators[0];
        await routed.SendOkAsync(HttpMethod.Put, $"/v1/teams/{routed.TeamId}/members/{supervisor.PersonId}", new { capacity = 2, supervisor = true });
        using (var patch = await routed.OperatorClient(0).PatchAsJsonAsync("/v1/me/profile", new { email_before_sla_breach = false }, Ct))
            patch.StatusCode.ShouldBe(HttpStatusCode.OK);

        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "people_notified");
        (await Eventually.GetAsync(async () => await NotificationsAsync(routed.OperatorClient(0)) is { Length: > 0 } items ? items : null, TimeSpan.FromSeconds(10), "the supervisor's notice"))
            .ShouldHaveSingleItem().GetProperty("escalation_id").GetString().ShouldBe(id);
        (await MailsAboutAsync(supervisor.Email, NotifyPeopleHandler.MailPurpose, id)).ShouldBeEmpty("the supervisor turned SLA mails off");
    }

    [Fact]
    public async Task Notifications_page_one_at_a_time_newest_first_each_once()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        await routed.SendOkAsync(HttpMethod.Put, "/v1/routing-rules", new
        {
            rules = new object[]
            {
                new { name = "disputes", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } },
                      then = new { route_to_team = routed.TeamId, notify = new[] { routed.Operators[0].PersonId } } },
            },
        });
        string[] opened = [await routed.OpenAsync(), await routed.OpenAsync(), await routed.OpenAsync()];
        foreach (var id in opened) await routed.WhenAsync(id, "people_notified");
        var person = routed.OperatorClient(0);
        await Eventually.GetAsync(async () => await NotificationsAsync(person) is { Length: 3 } items ? items : null, TimeSpan.FromSeconds(10), "three notifications");

        var paged = new List<JsonElement>();
        var page = await person.PageAsync("/v1/operators/me/notifications?limit=1");
        while (true)
        {
            paged.Add(page.Items().ShouldHaveSingleItem());
            if (page.GetProperty("next_cursor").GetString() is not { } cursor) break;
            page = await person.PageAsync($"/v1/operators/me/notifications?limit=1&cursor={Uri.EscapeDataString(cursor)}");
        }
        paged.Select(n => n.GetProperty("escalation_id").GetString()).ShouldBe(opened, ignoreOrder: true);
        paged.Select(n => n.GetProperty("at").GetDateTimeOffset()).ShouldBeInOrder(SortDirection.Descending);

        await (await person.GetAsync("/v1/operators/me/notifications?limit=0", Ct)).ShouldBeInvalidAsync("limit");
        await (await person.GetAsync("/v1/operators/me/notifications?limit=101", Ct)).ShouldBeInvalidAsync("limit");
        await (await person.GetAsync("/v1/operators/me/notifications?cursor=not-a-cursor!", Ct)).ShouldBeInvalidAsync("cursor");
        await (await person.GetAsync($"/v1/operators/me/notifications?cursor={Guid.NewGuid()}", Ct)).ShouldBeInvalidAsync("cursor");
    }

    [Fact]
    public async Task Unknown_ids_are_not_found_a_malformed_filter_is_refused_and_agents_keys_have_no_notifications()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        (await routed.OperatorClient(0).PostAsync($"/v1/operators/me/notifications/{Guid.NewGuid()}/read", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await routed.OperatorClient(0).PostAsync("/v1/operators/me/notifications/not-a-guid/read", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await routed.Agent.GetAsync("/v1/operators/me/notifications", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await routed.OperatorClient(0).GetAsync("/v1/operators/me/notifications?unread=maybe", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_sla_step_notifies_the_teams_supervisors()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 2, policy: new
        {
            name = "Watched",
            first_response_seconds = 60,
            steps = new object[] { new { after_seconds = 1, action = "notify_supervisors" } },
        });
        var supervisor = routed.Operators[0];
        await routed.SendOkAsync(HttpMethod.Put, $"/v1/teams/{routed.TeamId}/members/{supervisor.PersonId}", new { capacity = 2, supervisor = true });
        var id = await routed.OpenAsync();
        await routed.WhenAsync(id, "people_notified");

        var notice = (await Eventually.GetAsync(async () => await NotificationsAsync(routed.OperatorClient(0)) is { Length: > 0 } items ? items : null, TimeSpan.FromSeconds(10), "the supervisor's notification")).ShouldHaveSingleItem();
        notice.GetProperty("escalation_id").GetString().ShouldBe(id);
        (await NotificationsAsync(routed.OperatorClient(1))).ShouldBeEmpty("only supervisors are told");
        (await _app.LatestSandboxEmailAsync(supervisor.Email, NotifyPeopleHandler.MailPurpose)).ShouldNotBeNull();
    }
}
