using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Portal.Tests.Escalation;

/// <summary>The agent's drafts, each handled in one click, and internal notes the agent never sees.</summary>
public sealed class DraftsAndNotesTests(PortalTestsHost host, Chromium chromium)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task Approving_a_draft_sends_it_as_written_and_it_leaves_the_drafts()
    {
        var (tenant, member, id) = await ClaimedEscalationAsync("Uma");
        const string draft = "Your refund of 49.90 EUR is on its way.";
        await ProposeDraftAsync(tenant, id, draft);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Approving_a_draft_sends_it_as_written_and_it_leaves_the_drafts), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var card = page.GetByRole(AriaRole.Article, new() { Name = "Draft" });
            await Expect(card).ToContainTextAsync(draft);
            await Screenshots.KeepAsync(page, "escalation-agent-draft");

            await card.GetByRole(AriaRole.Button, new() { Name = "Approve and send" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Transcript" }).GetByText(draft)).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Article, new() { Name = "Draft" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        });
        (await DraftStatusAsync(tenant, id)).ShouldBe("approved");
    }

    [Fact]
    public async Task Editing_a_draft_sends_the_edited_text_instead()
    {
        var (tenant, member, id) = await ClaimedEscalationAsync("Vera");
        const string draft = "Your refund is on its way.";
        const string edited = "Your refund of 49.90 EUR is on its way; expect it within 5 days.";
        await ProposeDraftAsync(tenant, id, draft);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Editing_a_draft_sends_the_edited_text_instead), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var card = page.GetByRole(AriaRole.Article, new() { Name = "Draft" });
            await card.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
            await card.GetByRole(AriaRole.Textbox, new() { Name = "Edited draft" }).FillAsync(edited);
            await card.GetByRole(AriaRole.Button, new() { Name = "Send edited" }).ClickAsync();

            var transcript = page.GetByRole(AriaRole.Log, new() { Name = "Transcript" });
            await Expect(transcript.GetByText(edited)).ToBeVisibleAsync();
            await Expect(transcript.GetByText(draft, new() { Exact = true })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Article, new() { Name = "Draft" })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Rejecting_a_draft_removes_it_and_sends_nothing()
    {
        var (tenant, member, id) = await ClaimedEscalationAsync("Wim");
        const string draft = "We cannot refund this order.";
        await ProposeDraftAsync(tenant, id, draft);

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(Rejecting_a_draft_removes_it_and_sends_nothing), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            await page.GetByRole(AriaRole.Article, new() { Name = "Draft" }).GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Article, new() { Name = "Draft" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Transcript" }).GetByText(draft)).ToHaveCountAsync(0);
        });
        (await DraftStatusAsync(tenant, id)).ShouldBe("rejected");
    }

    [Fact]
    public async Task A_note_shows_with_its_author_and_stays_out_of_the_agents_view()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName("Xena"));
        var note = $"Customer called the bank already ({Guid.NewGuid():N}).";

        await ConsoleBrowser.RunAsync(chromium, _app, nameof(A_note_shows_with_its_author_and_stays_out_of_the_agents_view), async browser =>
        {
            var page = await browser.SignInAsync(member);
            await ConsolePages.GoToAsync(page, $"/escalations/{id}");
            var notes = page.GetByRole(AriaRole.Region, new() { Name = "Internal notes" });
            await notes.GetByRole(AriaRole.Textbox, new() { Name = "Note", Exact = true }).FillAsync(note);
            await notes.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
            var shown = notes.GetByRole(AriaRole.Listitem).Filter(new() { HasText = note });
            await Expect(shown).ToBeVisibleAsync();
            await Expect(shown).ToContainTextAsync(member.Email);
            await Screenshots.KeepAsync(page, "escalation-internal-note");
        });

        using var human = _app.CreateHttpClient(member.Token);
        (await human.GetEscalationAsync(id)).ToString().ShouldContain(note, customMessage: "the people's view has the note, so the agent's check below means something");
        (await _app.AgentViewAsync(tenant, id)).ToString().ShouldNotContain(note);
    }

    async Task<(TestTenantAccount, TestMember, string)> ClaimedEscalationAsync(string first)
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var id = await _app.OpenEscalationAsync(tenant, ConsoleScenarios.CustomerName(first));
        await _app.ClaimAsync(member, id);
        return (tenant, member, id);
    }

    async Task ProposeDraftAsync(TestTenantAccount tenant, string id, string content)
    {
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        using var response = await agent.PostAsJsonAsync($"/v1/escalations/{id}/drafts", new { content }, TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    async Task<string?> DraftStatusAsync(TestTenantAccount tenant, string id)
    {
        await using var session = _app.Store.QuerySession(tenant.TenantId);
        var escalation = await session.LoadAsync<Core.Escalations.Escalation>(Guid.Parse(id), TestContext.Current.CancellationToken);
        return escalation!.Drafts.Single().Status;
    }
}
