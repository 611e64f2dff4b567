using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Onboarding;

/// <summary>The getting-started checklist: ticked by what exists, hidden per tenant, refused to operators, careful with its one input.</summary>
public sealed class GettingStartedTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<IPage> SignInAsOwnerAsync(ConsoleBrowser browser, TestTenantAccount tenant)
    {
        var page = await browser.NewPageAsync();
        await ConsolePages.SignInAsync(page, tenant.OwnerEmail, tenant.OwnerPassword);
        return page;
    }

    static ILocator Step(IPage page, string title) =>
        page.GetByRole(AriaRole.List, new() { Name = "Steps" }).GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = title }) });

    static async Task ExpectProgressAsync(IPage page, int done)
    {
        await ConsolePages.GoToAsync(page, "/getting-started");
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Progress" })).ToHaveTextAsync($"{done} of 5 done");
    }

    [Fact]
    public async Task Each_step_ticks_from_what_exists_in_the_tenant_and_nothing_of_another_tenant_counts()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        using var others = _app.CreateHttpClient(other.ApiKey);
        await _app.OpenEscalationAsync(other, ConsoleScenarios.CustomerName("Other"));
        (await others.PostAsJsonAsync("/v1/members", new { email = $"x-{Guid.NewGuid():N}@example.test", role = "operator" }, Ct)).EnsureSuccessStatusCode();
        using (var othersAdmin = _app.CreateHttpClient((await _app.NewMemberAsync(other, "admin")).Token))
            (await othersAdmin.PostAsJsonAsync("/v1/teams", new { name = "Theirs" }, Ct)).EnsureSuccessStatusCode();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Each_step_ticks_from_what_exists_in_the_tenant_and_nothing_of_another_tenant_counts), async browser =>
        {
            var page = await SignInAsOwnerAsync(browser, tenant);
            await ExpectProgressAsync(page, 0);
            // A key that exists but has never called is not a connected agent.
            await Expect(Step(page, "Connect your agent with an API key")).ToContainTextAsync("To do:");
            await Expect(Step(page, "Connect your agent with an API key")).ToContainTextAsync("You have 1 key, none used yet.");

            (await agent.GetAsync("/v1/me", Ct)).EnsureSuccessStatusCode();
            await ExpectProgressAsync(page, 1);
            await Expect(Step(page, "Connect your agent with an API key")).ToContainTextAsync("Done: 1 key has made requests.");

            var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Grace"));
            await ExpectProgressAsync(page, 2);
            await Expect(Step(page, "Send a test escalation")).ToContainTextAsync("Done: 1 escalation so far.");

            (await agent.PostAsJsonAsync("/v1/members", new { email = $"new-{Guid.NewGuid():N}@example.test", role = "operator" }, Ct)).EnsureSuccessStatusCode();
            await ExpectProgressAsync(page, 3);
            await Expect(Step(page, "Invite your teammates")).ToContainTextAsync("Done: 1 member, 1 invitation pending.");

            // Keeping the sandbox counts once a customer was answered through it.
            var operatorMember = await _app.NewMemberAsync(tenant, "operator");
            using (var human = _app.CreateHttpClient(operatorMember.Token))
            {
                await human.ActOkAsync(id, "claim");
                await human.ActOkAsync(id, "reply", new { content = "Hello, I am on it.", channel = "whatsapp" });
            }
            await ExpectProgressAsync(page, 4);
            await Expect(Step(page, "Connect a channel, or keep the sandbox")).ToContainTextAsync("Done: you answered a customer through the sandbox.");

            // A team alone is not enough: a rule has to send work to it. Teams and rules are set by people.
            using var admin = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);
            using var team = await admin.PostAsJsonAsync("/v1/teams", new { name = "Billing" }, Ct);
            team.StatusCode.ShouldBe(HttpStatusCode.Created);
            var billing = (await team.JsonAsync()).GetProperty("id").GetString();
            await ExpectProgressAsync(page, 4);
            await Expect(Step(page, "Set up a team and a routing rule")).ToContainTextAsync("You have 1 team and 0 rules.");
            var rules = new { rules = new[] { new { name = "refunds", when = new object[] { new { field = "reason", op = "equals", value = "refund_dispute" } }, then = new { route_to_team = billing } } } };
            (await admin.PutAsJsonAsync("/v1/routing-rules", rules, Ct)).EnsureSuccessStatusCode();
            await ExpectProgressAsync(page, 5);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "All done: hide this checklist" })).ToBeVisibleAsync();
            await Widths.KeepAtBothWidthsAsync(page, "getting-started-complete");
        });
    }

    [Fact]
    public async Task Hiding_the_checklist_hides_it_for_the_whole_tenant_and_only_that_tenant_until_shown_again()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var other = await _app.NewTenantAsync();

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Hiding_the_checklist_hides_it_for_the_whole_tenant_and_only_that_tenant_until_shown_again), async browser =>
        {
            var owner = await SignInAsOwnerAsync(browser, tenant);
            var banner = owner.GetByRole(AriaRole.Region, new() { Name = "Getting started" });
            await Expect(banner).ToContainTextAsync("steps done");
            await banner.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Get started with AwaitHuman", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(owner);
            await owner.GetByRole(AriaRole.Button, new() { Name = "Hide this checklist" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Note)).ToContainTextAsync("The checklist is hidden from the inbox");
            await Widths.KeepAtBothWidthsAsync(owner, "getting-started-hidden");

            await ConsolePages.GoToAsync(owner, "/");
            await Expect(owner.GetByRole(AriaRole.Region, new() { Name = "Getting started" })).ToHaveCountAsync(0);
            // Stored for the tenant: another admin of it no longer sees it either, and the page stays under Admin.
            var colleague = await browser.SignInAsync(admin);
            await Expect(colleague.GetByRole(AriaRole.Region, new() { Name = "Getting started" })).ToHaveCountAsync(0);
            await Expect(colleague.GetByRole(AriaRole.Link, new() { Name = "Getting started" })).ToBeVisibleAsync();
            // Another tenant's owner still sees theirs.
            var stranger = await SignInAsOwnerAsync(browser, other);
            await Expect(stranger.GetByRole(AriaRole.Region, new() { Name = "Getting started" })).ToBeVisibleAsync();

            await ConsolePages.GoToAsync(owner, "/getting-started");
            await owner.GetByRole(AriaRole.Button, new() { Name = "Show it in the inbox again" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Hide this checklist" })).ToBeVisibleAsync();
            await ConsolePages.GoToAsync(colleague, "/");
            await Expect(colleague.GetByRole(AriaRole.Region, new() { Name = "Getting started" })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task A_key_without_a_good_name_is_refused_under_the_field_and_no_key_is_made()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        async Task<int> KeysAsync() => (await owner.ListAllAsync("/v1/api-keys")).Length;

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_key_without_a_good_name_is_refused_under_the_field_and_no_key_is_made), async browser =>
        {
            var page = await SignInAsOwnerAsync(browser, tenant);
            await ConsolePages.GoToAsync(page, "/getting-started");

            await page.GetByLabel("Key name").FillAsync("   ");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Expect(page.Locator("#key-name-error")).ToHaveTextAsync("The name is required.");
            await Expect(page.GetByLabel("Key name")).ToHaveAttributeAsync("aria-invalid", "true");

            await page.GetByLabel("Key name").FillAsync(new string('k', 101));
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Expect(page.Locator("#key-name-error")).ToHaveTextAsync("The name is at most 100 characters.");
            await Expect(page.GetByLabel("API key", new() { Exact = true })).ToHaveCountAsync(0);
            await Widths.KeepAtBothWidthsAsync(page, "getting-started-refused");
            (await KeysAsync()).ShouldBe(1);

            // Corrected, it is made once, with only what an agent needs.
            await page.GetByLabel("Key name").FillAsync("Agent");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Expect(page.Locator("#key-name-error")).ToHaveCountAsync(0);
            await Expect(page.GetByLabel("API key", new() { Exact = true })).ToContainTextAsync("ah_live_");
        });

        var keys = (await owner.ListAllAsync("/v1/api-keys")).ToList();
        keys.Count.ShouldBe(2);
        keys.Single(key => key.GetProperty("name").GetString() == "Agent").GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString())
            .ShouldBe(["escalations:write", "escalations:read"], ignoreOrder: true);
    }

    [Fact]
    public async Task An_operator_sees_no_checklist_and_is_refused_its_page()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_sees_no_checklist_and_is_refused_its_page), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Getting started" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Getting started" })).ToHaveCountAsync(0);

            await page.GotoAsync("/getting-started");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a test escalation" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create API key" })).ToHaveCountAsync(0);
        });
    }
}
