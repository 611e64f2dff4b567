using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>An approval request: the proposed tool call shown, and each of the four answers handed back as the agent reads it.</summary>
public sealed class ApprovalTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task Approving_shows_the_proposed_action_and_hands_back_approved()
    {
        var (tenant, member, id) = await ApprovalAsync("Cleo");
        await OnPageAsync(member, id, nameof(Approving_shows_the_proposed_action_and_hands_back_approved), async page =>
        {
            var approval = page.GetByRole(AriaRole.Region, new() { Name = "The agent asks to run" });
            await Expect(approval).ToContainTextAsync("issue_refund");
            var arguments = approval.GetByLabel("Arguments");
            await Expect(arguments).ToContainTextAsync("\"order\": 1042");
            await Expect(arguments).ToContainTextAsync("\"amount\": 49.9");
            await Screenshots.KeepAsync(page, "escalation-approval");
            await approval.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Handed back to the agent: approved" })).ToBeVisibleAsync();
        });
        var handBack = await HandBackAsync(tenant, id);
        handBack.GetProperty("outcome").GetString().ShouldBe("approved");
        handBack.GetProperty("decision").GetProperty("decision").GetString().ShouldBe("accept");
    }

    [Fact]
    public async Task Approving_with_edited_arguments_hands_back_edited_with_the_new_arguments()
    {
        var (tenant, member, id) = await ApprovalAsync("Dario");
        await OnPageAsync(member, id, nameof(Approving_with_edited_arguments_hands_back_edited_with_the_new_arguments), async page =>
        {
            var approval = page.GetByRole(AriaRole.Region, new() { Name = "The agent asks to run" });
            await approval.GetByRole(AriaRole.Button, new() { Name = "Edit arguments" }).ClickAsync();
            await approval.GetByRole(AriaRole.Textbox, new() { Name = "Arguments (JSON)" }).FillAsync("""{"order": 1042, "amount": 20.5}""");
            await approval.GetByRole(AriaRole.Button, new() { Name = "Approve with these arguments" }).ClickAsync();
            var handedBack = page.GetByRole(AriaRole.Region, new() { Name = "Handed back to the agent: edited" });
            await Expect(handedBack.GetByLabel("Approved arguments")).ToContainTextAsync("\"amount\": 20.5");
            await Screenshots.KeepAsync(page, "escalation-approval-edited");
        });
        // docs/escalations.md: an approval with changed arguments is handed back as edited, so the agent runs those.
        var handBack = await HandBackAsync(tenant, id);
        handBack.GetProperty("outcome").GetString().ShouldBe("edited");
        var decision = handBack.GetProperty("decision");
        decision.GetProperty("decision").GetString().ShouldBe("edit");
        decision.GetProperty("arguments").GetProperty("amount").GetDecimal().ShouldBe(20.5m);
    }

    [Fact]
    public async Task Arguments_that_are_not_json_show_an_alert_and_send_nothing()
    {
        var (tenant, member, id) = await ApprovalAsync("Enzo");
        await OnPageAsync(member, id, nameof(Arguments_that_are_not_json_show_an_alert_and_send_nothing), async page =>
        {
            var approval = page.GetByRole(AriaRole.Region, new() { Name = "The agent asks to run" });
            await approval.GetByRole(AriaRole.Button, new() { Name = "Edit arguments" }).ClickAsync();
            await approval.GetByRole(AriaRole.Textbox, new() { Name = "Arguments (JSON)" }).FillAsync("""{"order": 1042, "amount": """);
            await approval.GetByRole(AriaRole.Button, new() { Name = "Approve with these arguments" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid JSON");
            await Expect(approval).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "escalation-approval-invalid-arguments");
        });
        var view = await _app.AgentViewAsync(tenant, id);
        view.GetProperty("status").GetString().ShouldNotBe("resolved");
        (view.TryGetProperty("hand_back", out var handBack) && handBack.ValueKind != JsonValueKind.Null).ShouldBeFalse(view.ToString());
    }

    [Fact]
    public async Task Responding_instead_hands_back_answered_with_the_response()
    {
        var (tenant, member, id) = await ApprovalAsync("Fina");
        await OnPageAsync(member, id, nameof(Responding_instead_hands_back_answered_with_the_response), async page =>
        {
            var approval = page.GetByRole(AriaRole.Region, new() { Name = "The agent asks to run" });
            await approval.GetByRole(AriaRole.Button, new() { Name = "Respond instead" }).ClickAsync();
            await approval.GetByRole(AriaRole.Textbox, new() { Name = "Response to the agent" }).FillAsync("Offer a voucher instead of a refund.");
            await approval.GetByRole(AriaRole.Button, new() { Name = "Send response" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Handed back to the agent: answered" })).ToBeVisibleAsync();
        });
        var handBack = await HandBackAsync(tenant, id);
        handBack.GetProperty("outcome").GetString().ShouldBe("answered");
        handBack.GetProperty("decision").GetProperty("decision").GetString().ShouldBe("respond");
        handBack.GetProperty("decision").GetProperty("response").GetString().ShouldBe("Offer a voucher instead of a refund.");
    }

    [Fact]
    public async Task Denying_hands_back_denied_with_the_reason()
    {
        var (tenant, member, id) = await ApprovalAsync("Gus");
        await OnPageAsync(member, id, nameof(Denying_hands_back_denied_with_the_reason), async page =>
        {
            var approval = page.GetByRole(AriaRole.Region, new() { Name = "The agent asks to run" });
            await approval.GetByRole(AriaRole.Button, new() { Name = "Deny", Exact = true }).ClickAsync();
            await approval.GetByRole(AriaRole.Textbox, new() { Name = "Why not" }).FillAsync("The order was already refunded.");
            await approval.GetByRole(AriaRole.Button, new() { Name = "Deny the action" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Handed back to the agent: denied" })).ToBeVisibleAsync();
        });
        var handBack = await HandBackAsync(tenant, id);
        handBack.GetProperty("outcome").GetString().ShouldBe("denied");
        handBack.GetProperty("decision").GetProperty("decision").GetString().ShouldBe("deny");
        handBack.GetProperty("decision").GetProperty("reason").GetString().ShouldBe("The order was already refunded.");
    }

    async Task<(TestTenantAccount, TestMember, string)> ApprovalAsync(string first)
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var request = EscalationScenarios.SampleRequest("approval");
        request["customer"]!["name"] = ConsoleScenarios.CustomerName(first);
        return (tenant, member, await _app.OpenEscalationAsync(tenant, request));
    }

    Task OnPageAsync(TestMember member, string id, string test, Func<IPage, Task> body) =>
        ConsoleBrowser.RunAsync(chromium, _app, test, async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await body(page);
        });

    async Task<JsonElement> HandBackAsync(TestTenantAccount tenant, string id)
    {
        var view = await _app.AgentViewAsync(tenant, id);
        view.TryGetProperty("hand_back", out var handBack).ShouldBeTrue(view.ToString());
        return handBack;
    }
}
