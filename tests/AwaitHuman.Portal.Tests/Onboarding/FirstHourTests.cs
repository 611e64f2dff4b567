using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Onboarding;

/// <summary>
/// A new company's whole first hour in the browser: sign up, verify, a key for its agent, the test
/// escalation, an operator invited who joins, signs in and answers the test customer, whose
/// simulated device shows the answer beside the checklist.
/// </summary>
public sealed class FirstHourTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_company_signs_up_connects_its_agent_and_an_invited_operator_answers_the_test_customer()
    {
        var company = $"Firsthour {Guid.NewGuid():N}"[..18];
        var slug = Regex.Replace(company.ToLowerInvariant(), "[^a-z0-9]+", "-");
        var ownerEmail = $"owner@{slug}.test";
        var operatorEmail = $"sam@{slug}.test";
        const string answer = "Hello Ada, I have refunded the second charge; you will see it within three days.";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_new_company_signs_up_connects_its_agent_and_an_invited_operator_answers_the_test_customer), async browser =>
        {
            // Sign up through the page.
            var owner = await browser.NewPageAsync();
            await owner.GotoAsync("/account/login");
            await owner.GetByRole(AriaRole.Link, new() { Name = "Create your company's account" }).ClickAsync();
            await owner.RunAndWaitForResponseAsync(() => owner.GetByLabel("Company name").FillAsync(company),
                response => response.Url.Contains("/v1/signup/slug-availability"));
            await Expect(owner.GetByLabel("Address in AwaitHuman")).ToHaveValueAsync(slug);
            await owner.GetByLabel("Your name").FillAsync("Olga Owner");
            await owner.GetByLabel("Work email").FillAsync(ownerEmail);
            await owner.GetByLabel("Password").FillAsync(TestTenants.Password);
            await owner.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

            // Verify with the code from the sandbox outbox the page links to.
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
            var outboxLink = await owner.GetByRole(AriaRole.Link, new() { Name = "sandbox outbox" }).GetAttributeAsync("href");
            var outbox = await owner.Context.NewPageAsync();
            await outbox.GotoAsync(outboxLink!);
            var mails = JsonDocument.Parse(await outbox.Locator("body").InnerTextAsync()).RootElement;
            var code = mails.GetProperty("items").EnumerateArray().First(mail => mail.GetProperty("purpose").GetString() == "verify_email").GetProperty("code").GetString()!;
            await outbox.CloseAsync();
            await owner.GetByLabel("Verification code").FillAsync(code);
            await owner.GetByRole(AriaRole.Button, new() { Name = "Verify and open the console" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = $"{company} is ready", Level = 1 })).ToBeVisibleAsync();

            // The inbox points the owner at the checklist.
            await owner.GetByRole(AriaRole.Link, new() { Name = "Open the console" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(owner);
            var banner = owner.GetByRole(AriaRole.Region, new() { Name = "Getting started" });
            await Expect(banner).ToContainTextAsync("0 of 5 steps done");
            await banner.GetByRole(AriaRole.Link, new() { Name = "Start" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Get started with AwaitHuman", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(owner);
            var progress = owner.GetByRole(AriaRole.Status, new() { Name = "Progress" });
            await Expect(progress).ToHaveTextAsync("0 of 5 done");
            await Widths.KeepAtBothWidthsAsync(owner, "getting-started-new");

            // Create the agent's key from the checklist; its request works as shown.
            await owner.GetByLabel("Key name").FillAsync("Support agent");
            await owner.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            var key = (await owner.GetByLabel("API key", new() { Exact = true }).TextContentAsync())!.Trim();
            key.ShouldStartWith("ah_live_");
            var curl = (await owner.GetByLabel("Example request", new() { Exact = true }).TextContentAsync())!;
            curl.ShouldContain($"{_app.Address.ToString().TrimEnd('/')}/v1/escalations");
            curl.ShouldContain(key);
            await Widths.KeepAtBothWidthsAsync(owner, "getting-started-key");
            using (var agent = _app.CreateHttpClient(key))
            {
                var me = JsonDocument.Parse(await agent.GetStringAsync("/v1/me", Ct)).RootElement;
                me.GetProperty("tenant").GetString().ShouldBe(slug);
            }

            // Send the test escalation with one click: it opens beside the customer's simulated device.
            await owner.GetByRole(AriaRole.Button, new() { Name = "Send a test escalation" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Open the test escalation" })).ToBeVisibleAsync();
            await Expect(progress).ToHaveTextAsync("2 of 5 done");
            var device = owner.FrameLocator("iframe[title=\"The test customer's simulated device\"]");
            await Expect(device.GetByRole(AriaRole.List, new() { Name = "Conversation" })).ToBeVisibleAsync();
            await Widths.KeepAtBothWidthsAsync(owner, "getting-started-test-sent");
            await owner.GetByRole(AriaRole.Link, new() { Name = "Open the test escalation" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Ada Test", Level = 1 })).ToBeVisibleAsync();

            // Invite an operator from the Members page the checklist links to.
            await ConsolePages.GoToAsync(owner, "/getting-started");
            await owner.GetByRole(AriaRole.Link, new() { Name = "Invite people" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 1, Exact = true })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(owner);
            await owner.GetByLabel("Email").FillAsync(operatorEmail);
            await owner.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("operator");
            await owner.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
            await Expect(owner.Locator("#invite-notice")).ToContainTextAsync($"Invitation sent to {operatorEmail}");

            // The operator accepts in a browser of their own, then signs in with the password they chose.
            var mail = (await _app.LatestSandboxEmailAsync(operatorEmail, "invitation")).ShouldNotBeNull();
            var link = new Uri(Regex.Match(mail.Text, @"https?://\S+").Value).PathAndQuery;
            var sam = await browser.NewPageAsync();
            await sam.GotoAsync(link);
            await sam.GetByLabel("Your name").FillAsync("Sam Operator");
            await sam.GetByLabel("Choose a password").FillAsync(TestTenants.Password);
            await sam.GetByRole(AriaRole.Button, new() { Name = $"Join {company}" }).ClickAsync();
            await Expect(sam.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(sam);
            await sam.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await ConsolePages.SignInAsync(sam, operatorEmail, TestTenants.Password);
            await Expect(sam.GetByRole(AriaRole.Region, new() { Name = "Getting started" })).ToHaveCountAsync(0);

            // The operator sees the test escalation, claims it and answers the customer.
            await sam.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Button, new() { Name = "Unassigned" }).ClickAsync();
            await sam.GetByRole(AriaRole.Link, new() { Name = "Ada Test" }).ClickAsync();
            await Expect(sam.GetByRole(AriaRole.Heading, new() { Name = "Ada Test", Level = 1 })).ToBeVisibleAsync();
            await ConsolePages.WaitUntilInteractiveAsync(sam);
            await sam.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync();
            await Expect(sam.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("You own this escalation");
            await sam.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true }).FillAsync(answer);
            await sam.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(sam.GetByRole(AriaRole.Log, new() { Name = "Transcript" }).GetByText(answer)).ToBeVisibleAsync();
            await Screenshots.KeepAsync(sam, "first-hour-operator-answered");

            // The answer reaches the simulated device beside the owner's checklist, and the steps tick from what happened.
            await ConsolePages.GoToAsync(owner, "/getting-started");
            await Expect(device.GetByRole(AriaRole.List, new() { Name = "Conversation" }).GetByText(answer)).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(owner.GetByRole(AriaRole.Status, new() { Name = "Progress" })).ToHaveTextAsync("4 of 5 done");
            await Widths.KeepAtBothWidthsAsync(owner, "getting-started-answered");
        });
    }
}
