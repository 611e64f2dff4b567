using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AwaitHuman.Portal.Tests.Inbox;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Shell;

/// <summary>
/// Work that finds the operator (the inbox opens where the work is, counts it, and says when new work
/// arrives) and the conversation's form (the question first, errors shown whole), photographed on a
/// laptop and on a phone.
/// </summary>
public sealed class ConsoleLookTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static readonly (string Device, int Width, int Height)[] Screens = [("1440", 1440, 900), ("390", 390, 844)];

    /// <summary>Names what sticks out past the screen's right edge, none when nothing scrolls sideways.</summary>
    const string Wider = """
        () => document.documentElement.scrollWidth <= window.innerWidth ? [] :
          [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} right ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 12)
        """;

    /// <summary>
    /// After a resize MudBlazor learns the new breakpoint through a JS call back to the circuit, so the drawer's
    /// room is given back a moment later: the page has that moment to settle before what sticks out is named.
    /// </summary>
    static async Task NoSidewaysScrollAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new() { Timeout = 5_000 });
        }
        catch (TimeoutException) { /* named below */ }
        (await page.EvaluateAsync<string[]>(Wider)).ShouldBeEmpty($"the page scrolls sideways at {page.ViewportSize?.Width} px");
    }

    static async Task KeepBothAsync(IPage page, string name)
    {
        foreach (var (device, width, height) in Screens)
        {
            await page.SetViewportSizeAsync(width, height);
            await NoSidewaysScrollAsync(page);
            await Axe.NoSeriousViolationsAsync(page, $"{name} at {device} px");
            await Screenshots.KeepAsync(page, $"{name}-{device}");
        }
        await page.SetViewportSizeAsync(1440, 900);
    }

    [Fact]
    public async Task The_inbox_opens_on_the_view_with_work_counts_every_view_and_announces_new_unassigned_work()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var first = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Iris"));
        var second = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Ivan"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_inbox_opens_on_the_view_with_work_counts_every_view_and_announces_new_unassigned_work), async browser =>
        {
            var page = await browser.SignInAsync(member);
            // Mine is empty, Unassigned has two: the inbox opens on Unassigned.
            await Expect(page.ViewButton("Unassigned")).ToHaveAttributeAsync("aria-current", "page");
            await page.ShowsExactlyAsync(first, second);
            await Expect(page.Locator("#count-unassigned")).ToHaveTextAsync("2 escalations");
            await Expect(page.Locator("#count-mine")).ToHaveTextAsync("0 escalations");
            await Expect(page).ToHaveTitleAsync(new Regex(@"^\(2\) Inbox: 0 mine, 2 unassigned, 2 unread"));
            await Expect(page.Locator("#count-unread")).ToHaveTextAsync("2 unread");
            await Expect(page.Locator("#count-attention")).ToHaveTextAsync("0 need your attention");

            var customer = ConsoleScenarios.CustomerName("Jade");
            var third = await _app.OpenEscalationAsync(tenant, customer);
            var alert = page.Locator(".inbox-new-work");
            await Expect(alert).ToContainTextAsync("New unassigned work");
            await Expect(alert.GetByRole(AriaRole.Link, new() { Name = customer })).ToHaveAttributeAsync("href", $"/escalations/{third}");
            await Expect(page.Locator("#count-unassigned")).ToHaveTextAsync("3 escalations");
            await Expect(page).ToHaveTitleAsync(new Regex(@"^\(3\) Inbox"));
            await Expect(page.Locator("#count-unread")).ToHaveTextAsync("3 unread");
            await KeepBothAsync(page, "console-inbox");

            // Looking at one counts it read.
            await page.Row(first).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/escalations/{first}"));
            await page.GoBackAsync();
            await Expect(page.Locator("#count-unread")).ToHaveTextAsync("2 unread");
        });
    }

    [Fact]
    public async Task A_question_shows_the_agents_question_first_with_answer_as_the_main_action_and_tool_errors_wrap()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var customer = ConsoleScenarios.CustomerName("Quinn");
        const string failure = "PaymentGatewayError 502: upstream timeout while contacting the acquirer for order 1042 after 3 retries (request id req_8f2a9c7d1e)";
        var request = EscalationScenarios.SampleRequest("question");
        request["customer"]!["name"] = customer;
        request["agent"]!["trace"] = new JsonArray(new JsonObject { ["tool"] = "refund_payment", ["input"] = new JsonObject { ["order"] = 1042 }, ["error"] = failure });
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
        using (var person = _app.CreateHttpClient(member.Token)) await person.ActOkAsync(id, "claim");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_question_shows_the_agents_question_first_with_answer_as_the_main_action_and_tool_errors_wrap), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var question = page.GetByRole(AriaRole.Region, new() { Name = "The agent asks" });
            await Expect(question).ToContainTextAsync("May we waive the late fee for this customer?");
            // The question comes before the transcript, in reading order.
            (await page.EvaluateAsync<bool>("() => { const q = document.getElementById('question-title'), t = document.getElementById('transcript-title'); return !!(q.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING); }"))
                .ShouldBeTrue("the agent's question comes before the transcript");

            var error = page.Locator(".trace-error");
            await Expect(error).ToHaveTextAsync(failure);
            foreach (var (device, width, height) in Screens)
            {
                await page.SetViewportSizeAsync(width, height);
                (await error.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1")).ShouldBeTrue($"the tool error is clipped at {device} px");
            }
            await KeepBothAsync(page, "console-question");

            await question.GetByRole(AriaRole.Textbox, new() { Name = "Answer" }).FillAsync("Yes, waive it this once.");
            await question.GetByRole(AriaRole.Button, new() { Name = "Answer and hand back" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "The agent asks" })).ToHaveCountAsync(0);
            var escalation = await agent.GetEscalationAsync(id);
            escalation.GetProperty("hand_back").GetProperty("outcome").GetString().ShouldBe("answered");
            escalation.GetProperty("hand_back").GetProperty("resolution").GetProperty("summary").GetString().ShouldBe("Yes, waive it this once.");
        });
    }

    [Fact]
    public async Task Opening_a_row_keeps_the_list_beside_the_conversation_each_escalation_keeps_its_address_and_back_works()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var (firstName, secondName) = (ConsoleScenarios.CustomerName("Pia"), ConsoleScenarios.CustomerName("Paul"));
        var first = await _app.OpenEscalationAsync(tenant, firstName);
        var second = await _app.OpenEscalationAsync(tenant, secondName);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Opening_a_row_keeps_the_list_beside_the_conversation_each_escalation_keeps_its_address_and_back_works), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await page.SetViewportSizeAsync(1440, 900);
            await page.Row(first).GetByRole(AriaRole.Link, new() { Name = firstName }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/escalations/{first}$"));
            var list = page.GetByRole(AriaRole.Navigation, new() { Name = "Open work" });
            await Expect(list.Locator($"[data-queue-row='{first}']")).ToHaveAttributeAsync("aria-current", "page");
            await Expect(list.Locator($"[data-queue-row='{second}']")).ToContainTextAsync(secondName);
            await Expect(list.Locator($"[data-queue-row='{second}']")).ToContainTextAsync("Handoff");

            await list.Locator($"[data-queue-row='{second}']").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/escalations/{second}$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = secondName, Level = 1 })).ToBeVisibleAsync();
            await Expect(list.Locator($"[data-queue-row='{second}']")).ToHaveAttributeAsync("aria-current", "page");
            await KeepBothAsync(page, "console-escalation");

            await page.GoBackAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/escalations/{first}$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = firstName, Level = 1 })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task A_browser_gets_the_404_page_in_the_consoles_look_and_an_api_client_still_gets_problem_details()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_browser_gets_the_404_page_in_the_consoles_look_and_an_api_client_still_gets_problem_details), async browser =>
        {
            var page = await browser.SignInAsync(member);
            var response = await page.GotoAsync("/no-such-page");
            response!.Status.ShouldBe(404);
            response.Headers["content-type"].ShouldStartWith("text/html");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to the inbox" })).ToHaveAttributeAsync("href", "/");
            await KeepBothAsync(page, "console-not-found");

            var api = await page.APIRequest.GetAsync("/no-such-page", new() { Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } });
            api.Status.ShouldBe(404);
            api.Headers["content-type"].ShouldContain("json");
            var apiPath = await page.APIRequest.GetAsync("/v1/no-such-thing", new() { Headers = new Dictionary<string, string> { ["Accept"] = "text/html" } });
            apiPath.Headers.GetValueOrDefault("content-type", "").StartsWith("text/html").ShouldBeFalse("the API's addresses keep their own answers");
        });
    }
}
