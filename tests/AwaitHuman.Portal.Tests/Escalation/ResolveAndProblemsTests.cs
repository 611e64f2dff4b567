using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>Resolving with a preview of the hand-back, and what the page says when something is refused or not there.</summary>
public sealed class ResolveAndProblemsTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task The_hand_back_preview_shows_what_the_agent_will_receive_as_typed_and_the_page_shows_it_once_resolved()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var request = EscalationScenarios.SampleRequest("question");
        request["customer"]!["name"] = ConsoleScenarios.CustomerName("Hugo");
        var id = await _app.OpenEscalationAsync(tenant, request);
        await _app.ClaimAsync(member, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(The_hand_back_preview_shows_what_the_agent_will_receive_as_typed_and_the_page_shows_it_once_resolved), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var resolve = page.GetByRole(AriaRole.Region, new() { Name = "Resolve and hand back" });
            await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve…" }).ClickAsync();
            await resolve.GetByRole(AriaRole.Combobox, new() { Name = "Outcome" }).SelectOptionAsync(new SelectOptionValue { Value = "answered" });
            await resolve.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true }).FillAsync("Yes, waive the late fee.");
            await resolve.GetByRole(AriaRole.Textbox, new() { Name = "Instructions for the agent" }).FillAsync("Tell the customer the fee is gone.");
            await resolve.GetByRole(AriaRole.Textbox, new() { Name = "Fields (JSON)" }).FillAsync("""{"fee_waived": true}""");
            await resolve.GetByRole(AriaRole.Textbox, new() { Name = "The agent must no longer say" }).FillAsync("that the fee is due\nthat nothing can be done");
            await resolve.GetByText("What the agent will receive").ClickAsync();

            var preview = resolve.GetByLabel("Hand-back preview");
            await Expect(preview).ToContainTextAsync("\"outcome\": \"answered\"");
            await Expect(preview).ToContainTextAsync("\"summary\": \"Yes, waive the late fee.\"");
            await Expect(preview).ToContainTextAsync("\"instructions_for_agent\": \"Tell the customer the fee is gone.\"");
            await Expect(preview).ToContainTextAsync("\"fee_waived\": true");
            await Expect(preview).ToContainTextAsync("\"that the fee is due\"");
            await Expect(preview).ToContainTextAsync("\"that nothing can be done\"");
            await Screenshots.KeepAsync(page, "escalation-hand-back-preview");

            await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve and hand back" }).ClickAsync();
            var handedBack = page.GetByRole(AriaRole.Region, new() { Name = "Handed back to the agent: answered" });
            await Expect(handedBack).ToContainTextAsync("Yes, waive the late fee.");
            await Expect(handedBack).ToContainTextAsync("Tell the customer the fee is gone.");
            await Expect(handedBack.GetByLabel("Fields")).ToContainTextAsync("\"fee_waived\": true");
            await Screenshots.KeepAsync(page, "escalation-hand-back");
        });

        var handBack = (await _app.AgentViewAsync(tenant, id)).GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("answered");
        handBack.GetProperty("must_not_claim").EnumerateArray().Select(line => line.GetString()).ShouldBe(["that the fee is due", "that nothing can be done"]);
    }

    [Fact]
    public async Task Fields_that_are_not_json_show_an_alert_and_do_not_resolve()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Ines"));
        await _app.ClaimAsync(member, id);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Fields_that_are_not_json_show_an_alert_and_do_not_resolve), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var resolve = page.GetByRole(AriaRole.Region, new() { Name = "Resolve and hand back" });
            await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve…" }).ClickAsync();
            await resolve.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true }).FillAsync("Refunded.");
            await resolve.GetByRole(AriaRole.Textbox, new() { Name = "Fields (JSON)" }).FillAsync("""{"refund_id": re_1""");
            await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve and hand back" }).ClickAsync();
            var fieldsProblem = resolve.GetByRole(AriaRole.Alert);
            await Expect(fieldsProblem).ToHaveTextAsync("The fields are not valid JSON: check line 1, character 15.");
            // The message belongs to the Fields box, not to the form as a whole.
            await Expect(resolve.GetByRole(AriaRole.Textbox, new() { Name = "Fields (JSON)" })).ToHaveAttributeAsync("aria-describedby", "resolve-fields-problem");
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("You own this escalation");

            // Escape closes the form without losing what was typed.
            await page.Keyboard.PressAsync("Escape");
            await Expect(resolve.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true })).ToBeHiddenAsync();
            await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve…" }).ClickAsync();
            await Expect(resolve.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true })).ToHaveValueAsync("Refunded.");
        });

        var view = await _app.AgentViewAsync(tenant, id);
        view.GetProperty("status").GetString().ShouldNotBe("resolved");
        (view.TryGetProperty("hand_back", out var handBack) && handBack.ValueKind != JsonValueKind.Null).ShouldBeFalse(view.ToString());
    }

    [Fact]
    public async Task Claiming_what_another_operator_owns_shows_an_alert_naming_the_owner()
    {
        var tenant = await _app.NewTenantAsync();
        var ann = await _app.NewMemberAsync(tenant, "operator");
        var ben = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Jana"));

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Claiming_what_another_operator_owns_shows_an_alert_naming_the_owner), async browser =>
        {
            var page = await browser.SignInAsync(ben);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true })).ToBeVisibleAsync();
            // Ann takes it while Ben's page still offers the claim.
            await _app.ClaimAsync(ann, id);
            await page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{ann.Email} owns this escalation");
            await Screenshots.KeepAsync(page, "escalation-action-problem");
        });
    }

    [Fact]
    public async Task Another_tenants_escalation_shows_escalation_not_found_and_none_of_its_data()
    {
        var mine = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(mine, "operator");
        var theirs = await _app.NewTenantAsync();
        var customer = ConsoleScenarios.CustomerName("Kurt");
        var id = await _app.OpenEscalationAsync(theirs, customer);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Another_tenants_escalation_shows_escalation_not_found_and_none_of_its_data), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Escalation not found", Level = 1 })).ToBeVisibleAsync();
            var body = page.Locator("body");
            await Expect(body).Not.ToContainTextAsync(customer);
            await Expect(body).Not.ToContainTextAsync("order 1042");
            await Expect(body).Not.ToContainTextAsync("refund_dispute");
            await Screenshots.KeepAsync(page, "escalation-not-found");
        });
    }
}
