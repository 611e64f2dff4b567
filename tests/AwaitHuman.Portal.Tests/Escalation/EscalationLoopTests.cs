using System.Text.Json;
using AwaitHuman.Server.Tests.Webhooks;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>The product's loop in the console: from the agent's escalation to the signed hand-back, with a simulated customer on WhatsApp.</summary>
public sealed class EscalationLoopTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task An_operator_takes_the_escalation_answers_the_customer_on_whatsapp_and_hands_it_back_to_the_agent()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var agent = new FakeAgent();
        var secret = await _app.RegisterWebhookAsync(tenant, agent.Url, "escalation.resolved");
        var customer = ConsoleScenarios.CustomerName("Grace");
        const string reply = "Hello Grace, I am refunding the second charge of 49.90 EUR now.";
        const string answer = "Thank you! Will it show on my card this week?";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(An_operator_takes_the_escalation_answers_the_customer_on_whatsapp_and_hands_it_back_to_the_agent), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, "/?view=unassigned");
            var id = await _app.OpenEscalationAsync(tenant, customer);
            var row = page.Locator($"tr[data-escalation='{id}']");
            await Expect(row).ToBeVisibleAsync();

            // Open it: the whole transcript and why the AI gave up.
            await row.GetByRole(AriaRole.Link, new() { Name = customer }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = customer, Level = 1 })).ToBeVisibleAsync();
            var transcript = page.GetByRole(AriaRole.Log, new() { Name = "Transcript" });
            await Expect(transcript).ToContainTextAsync("I was charged twice for order 1042.");
            await Expect(transcript).ToContainTextAsync("I see two charges. Let me get a colleague.");
            var why = page.GetByRole(AriaRole.Region, new() { Name = "Why the AI escalated" });
            await Expect(why).ToContainTextAsync("refund_dispute");
            await Expect(why).ToContainTextAsync("42");
            await Expect(why).ToContainTextAsync("lookup_order");
            await Screenshots.KeepAsync(page, "escalation");

            // Claim it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("You own this escalation");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Release", Exact = true })).ToBeVisibleAsync();

            // Reply on the sandbox WhatsApp channel.
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Channel", Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = "whatsapp" });
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply", Exact = true }).FillAsync(reply);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(transcript.GetByText(reply)).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

            // The simulated customer sees it on their phone and answers.
            var deviceUrl = await _app.SandboxDeviceUrlAsync(member, id, "whatsapp");
            var phone = await browser.NewPageAsync();
            await phone.GotoAsync(deviceUrl);
            var conversation = phone.GetByRole(AriaRole.List, new() { Name = "Conversation" });
            await Expect(conversation.GetByText(reply)).ToBeVisibleAsync();
            await phone.GetByLabel("Message as the customer").FillAsync(answer);
            await phone.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(conversation.GetByText(answer)).ToHaveCountAsync(1);
            await Expect(conversation.GetByText(reply)).ToHaveCountAsync(1);
            await Screenshots.KeepAsync(phone, "sandbox-device");

            // The answer appears in the console without reload.
            await Expect(transcript.GetByText(answer)).ToBeVisibleAsync();
            await Screenshots.KeepAsync(page, "escalation-claimed-with-answer");

            // Resolve and hand back: a focused form, opened when asked for.
            await page.GetByRole(AriaRole.Button, new() { Name = "Resolve…" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true })).ToBeFocusedAsync();
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Outcome" }).SelectOptionAsync(new SelectOptionValue { Value = "resolved" });
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true }).FillAsync("Refunded the duplicate charge of 49.90 EUR.");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Instructions for the agent" }).FillAsync("Tell the customer refunds take 3-5 business days.");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Fields (JSON)" }).FillAsync("""{"refund_id": "re_1042"}""");
            await page.GetByRole(AriaRole.Button, new() { Name = "Resolve and hand back" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Owner" })).ToContainTextAsync("the agent has it back");
            await Screenshots.KeepAsync(page, "escalation-resolved");
        });

        // The agent's webhook receiver got the signed hand-back with the resolution.
        var webhook = (await agent.ReceivedAsync(1)).Single();
        webhook.IsSignedWith(secret).ShouldBeTrue();
        using var body = JsonDocument.Parse(webhook.Body);
        body.RootElement.GetProperty("type").GetString().ShouldBe("escalation.resolved");
        var handBack = body.RootElement.GetProperty("data").GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("resolved");
        var resolution = handBack.GetProperty("resolution");
        resolution.GetProperty("summary").GetString().ShouldBe("Refunded the duplicate charge of 49.90 EUR.");
        resolution.GetProperty("instructions_for_agent").GetString().ShouldBe("Tell the customer refunds take 3-5 business days.");
        resolution.GetProperty("fields").GetProperty("refund_id").GetString().ShouldBe("re_1042");
        var delta = handBack.GetProperty("transcript_delta").EnumerateArray().Select(entry => entry.GetProperty("content").GetString()).ToList();
        delta.ShouldContain(reply);
        delta.ShouldContain(answer);
    }
}
