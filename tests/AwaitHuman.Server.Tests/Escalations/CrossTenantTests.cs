using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class CrossTenantTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_tenant_gets_404_everywhere_and_changes_nothing()
    {
        var owner = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var agentA = _app.CreateHttpClient(owner.ApiKey);
        var opened = await agentA.OpenEscalationAsync();
        var id = opened.GetProperty("id").GetString()!;
        var draftId = (await (await agentA.ActAsync(id, "drafts", new { content = "draft" })).JsonAsync()).GetProperty("draft_id").GetString();
        var agentB = _app.CreateHttpClient(other.ApiKey);
        var personB = _app.CreateHttpClient((await _app.NewMemberAsync(other, "admin")).Token);

        foreach (var path in new[] { $"/v1/escalations/{id}", $"/v1/escalations/{id}/wait?timeout_seconds=0", $"/v1/escalations/{id}/events" })
        {
            using var response = await agentB.GetAsync(path, Ct);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
        using (var byToken = await agentB.GetAsync($"/v1/escalations/wait?timeout_seconds=0&resume_token={opened.GetProperty("resume_token").GetString()}", Ct))
            await byToken.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        foreach (var action in new[] { "messages", "drafts", "cancel" })
        {
            using var response = await agentB.ActAsync(id, action, new { role = "customer", content = "hi" });
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
        foreach (var action in new[] { "claim", "release", "reply", "notes", $"drafts/{draftId}/approve", $"drafts/{draftId}/reject", "decision", "resolve", "reopen" })
        {
            using var response = await personB.ActAsync(id, action, new { content = "x", body = "x", decision = "accept", outcome = "resolved", resolution = new { summary = "x" } });
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using var list = await agentB.GetAsync($"/v1/escalations?external_ref={opened.GetProperty("id").GetString()}", Ct);
        (await list.JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);
        using var all = await agentB.GetAsync("/v1/escalations", Ct);
        (await all.JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);

        var unchanged = await agentA.GetEscalationAsync(id);
        unchanged.GetProperty("version").GetInt32().ShouldBe(2);
        unchanged.GetProperty("status").GetString().ShouldBe("waiting_for_human");
    }
}
