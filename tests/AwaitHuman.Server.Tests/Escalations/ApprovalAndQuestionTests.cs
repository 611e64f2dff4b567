using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class ApprovalAndQuestionTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    async Task<(HttpClient Agent, HttpClient Human, TestMember Operator, string Id)> OpenedAsync(string kind)
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var member = await _app.NewMemberAsync(tenant, "operator");
        var opened = await agent.OpenEscalationAsync(EscalationScenarios.SampleRequest(kind));
        return (agent, _app.CreateHttpClient(member.Token), member, opened.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Editing_the_arguments_of_an_approval_hands_back_the_edited_call()
    {
        var (agent, human, member, id) = await OpenedAsync("approval");

        var decided = await human.ActOkAsync(id, "decision", new { decision = "edit", arguments = new { order = 1042, amount = 20.00 }, reason = "Only the shipping part is refundable." });

        decided.GetProperty("status").GetString().ShouldBe("resolved");
        var handBack = (await agent.GetEscalationAsync(id)).GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("edited");
        handBack.GetProperty("decision").GetProperty("arguments").GetProperty("amount").GetDouble().ShouldBe(20.00);
        handBack.GetProperty("resolution").GetProperty("summary").GetString().ShouldBe("Only the shipping part is refundable.");
        handBack.GetProperty("decided_by").GetProperty("id").GetString().ShouldBe(member.PersonId.ToString());
    }

    [Theory]
    [InlineData("accept", "approved")]
    [InlineData("deny", "denied")]
    public async Task Accepting_or_denying_is_the_outcome(string decision, string outcome)
    {
        var (agent, human, _, id) = await OpenedAsync("approval");
        await human.ActOkAsync(id, "decision", new { decision });
        var handBack = (await agent.GetEscalationAsync(id)).GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe(outcome);
        if (outcome == "denied") handBack.GetProperty("must_not_claim")[0].GetString()!.ShouldContain("issue_refund");
    }

    [Fact]
    public async Task Responding_instead_answers_the_agent()
    {
        var (agent, human, _, id) = await OpenedAsync("approval");
        await human.ActOkAsync(id, "decision", new { decision = "respond", response = "Offer a voucher instead." });
        var handBack = (await agent.GetEscalationAsync(id)).GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("answered");
        handBack.GetProperty("decision").GetProperty("response").GetString().ShouldBe("Offer a voucher instead.");
    }

    [Fact]
    public async Task A_decision_needs_what_its_kind_requires()
    {
        var (_, human, _, id) = await OpenedAsync("approval");
        using var noArguments = await human.ActAsync(id, "decision", new { decision = "edit" });
        await noArguments.ShouldBeInvalidAsync("arguments");
        using var noResponse = await human.ActAsync(id, "decision", new { decision = "respond" });
        await noResponse.ShouldBeInvalidAsync("response");
        using var unknown = await human.ActAsync(id, "decision", new { decision = "maybe" });
        await unknown.ShouldBeInvalidAsync("decision");
    }

    [Fact]
    public async Task Only_approvals_take_a_decision()
    {
        var (_, human, _, id) = await OpenedAsync("question");
        using var response = await human.ActAsync(id, "decision", new { decision = "accept" });
        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_question_is_resolved_with_an_answer()
    {
        var (agent, human, _, id) = await OpenedAsync("question");
        await human.ActOkAsync(id, "resolve", new { outcome = "answered", resolution = new { summary = "Yes, waive it once.", fields = new { waive = true } } });

        var handBack = (await agent.GetEscalationAsync(id)).GetProperty("hand_back");
        handBack.GetProperty("outcome").GetString().ShouldBe("answered");
        handBack.GetProperty("resolution").GetProperty("fields").GetProperty("waive").GetBoolean().ShouldBeTrue();
        handBack.GetProperty("transcript_delta").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_handoff_cannot_be_resolved_as_approved()
    {
        var (_, human, _, id) = await OpenedAsync("handoff");
        using var response = await human.ActAsync(id, "resolve", new { outcome = "approved", resolution = new { summary = "ok" } });
        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("resolved");
    }

    [Fact]
    public async Task Resolve_input_is_checked_field_by_field()
    {
        var (_, human, _, id) = await OpenedAsync("handoff");
        using var response = await human.ActAsync(id, "resolve", new { outcome = "done", resolution = new { summary = "", fields = new[] { 1 } }, must_not_claim = new[] { "" } });
        await response.ShouldBeInvalidAsync("outcome", "resolution.summary", "resolution.fields", "must_not_claim");
        (await human.GetEscalationAsync(id)).GetProperty("status").GetString().ShouldBe("waiting_for_human");
    }
}
