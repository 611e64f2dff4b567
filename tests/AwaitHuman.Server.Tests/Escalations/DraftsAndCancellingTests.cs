using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class DraftsAndCancellingTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(HttpClient Agent, HttpClient Human, string Id)> OpenedAsync()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var opened = await agent.OpenEscalationAsync();
        return (agent, _app.CreateHttpClient(member.Token), opened.GetProperty("id").GetString()!);
    }

    static async Task<string> ProposeAsync(HttpClient agent, string id, string content)
    {
        using var response = await agent.ActAsync(id, "drafts", new { content });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("draft_id").GetString()!;
    }

    [Fact]
    public async Task An_approved_draft_is_sent_as_the_operators_reply()
    {
        var (agent, human, id) = await OpenedAsync();
        var draftId = await ProposeAsync(agent, id, "We have refunded the duplicate charge.");

        var after = await human.ActOkAsync(id, $"drafts/{draftId}/approve", new { });

        after.GetProperty("drafts")[0].GetProperty("status").GetString().ShouldBe("approved");
        var last = after.GetProperty("transcript").EnumerateArray().Last();
        last.GetProperty("role").GetString().ShouldBe("operator");
        last.GetProperty("content").GetString().ShouldBe("We have refunded the duplicate charge.");
        after.GetProperty("status").GetString().ShouldBe("with_human");
    }

    [Fact]
    public async Task A_draft_approved_with_other_text_counts_as_edited()
    {
        var (agent, human, id) = await OpenedAsync();
        var draftId = await ProposeAsync(agent, id, "Refunded.");

        var after = await human.ActOkAsync(id, $"drafts/{draftId}/approve", new { content = "We refunded 49.90 EUR today." });

        var draft = after.GetProperty("drafts")[0];
        draft.GetProperty("status").GetString().ShouldBe("edited");
        draft.GetProperty("final_content").GetString().ShouldBe("We refunded 49.90 EUR today.");
        after.GetProperty("transcript").EnumerateArray().Last().GetProperty("content").GetString().ShouldBe("We refunded 49.90 EUR today.");
    }

    [Fact]
    public async Task A_rejected_draft_is_never_sent_and_cannot_be_approved_later()
    {
        var (agent, human, id) = await OpenedAsync();
        var draftId = await ProposeAsync(agent, id, "Sure, free laptop!");

        var after = await human.ActOkAsync(id, $"drafts/{draftId}/reject", new { reason = "We do not give laptops away." });
        after.GetProperty("drafts")[0].GetProperty("status").GetString().ShouldBe("rejected");
        after.GetProperty("transcript").GetArrayLength().ShouldBe(2);

        using var late = await human.ActAsync(id, $"drafts/{draftId}/approve", new { });
        await late.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var unknown = await human.ActAsync(id, $"drafts/{Guid.NewGuid()}/approve", new { });
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_empty_draft_is_a_400()
    {
        var (agent, _, id) = await OpenedAsync();
        using var response = await agent.ActAsync(id, "drafts", new { content = " " });
        await response.ShouldBeInvalidAsync("content");
    }

    [Fact]
    public async Task Cancelling_hands_back_cancelled_and_says_no_human_reviewed_it()
    {
        var (agent, human, id) = await OpenedAsync();
        var cancelled = await agent.ActOkAsync(id, "cancel", new { reason = "The customer left the chat." });

        cancelled.GetProperty("status").GetString().ShouldBe("cancelled");
        var handBack = cancelled.GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("cancelled");
        handBack.GetProperty("must_not_claim")[0].GetString()!.ShouldContain("human reviewed");

        using var twice = await agent.ActAsync(id, "cancel", new { });
        await twice.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var claim = await human.ActAsync(id, "claim");
        await claim.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_finished_escalation_can_be_reopened_for_humans()
    {
        var (agent, human, id) = await OpenedAsync();
        await human.ActOkAsync(id, "resolve", new { outcome = "resolved", resolution = new { summary = "Done." } });

        var reopened = await human.ActOkAsync(id, "reopen", new { reason = "The customer wrote again." });

        reopened.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        reopened.GetProperty("hand_back").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        using var again = await human.ActAsync(id, "reopen", new { });
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Agent_messages_are_checked()
    {
        var (agent, _, id) = await OpenedAsync();
        using var response = await agent.ActAsync(id, "messages", new { role = "operator", content = "" });
        await response.ShouldBeInvalidAsync("message.role", "message.content");
        var tool = await agent.ActOkAsync(id, "messages", new { role = "tool", content = "{\"refund\":\"pending\"}" });
        tool.GetProperty("transcript").GetArrayLength().ShouldBe(3);
    }
}
