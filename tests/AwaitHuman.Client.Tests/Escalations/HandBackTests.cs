using System.Net;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Client.Tests.Escalations;

[Collection(nameof(RealServer))]
public class HandBackTests(ClientTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static object Resolution => new
    {
        outcome = "resolved",
        resolution = new { summary = "Refunded the duplicate charge.", instructions_for_agent = "Confirm the refund arrives in 3-5 days.", fields = new { refund_id = "re_123", amount = 49.90 } },
        must_not_claim = new[] { "that the customer was charged only once" },
    };

    [Fact]
    public async Task The_waiting_agent_gets_the_hand_back_when_the_operator_resolves()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);

        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        created.Status.ShouldBe(EscalationStatus.WaitingForHuman);
        created.Kind.ShouldBe(EscalationKind.Handoff);
        created.ResumeToken.ShouldStartWith("rt_");
        var waiting = agent.WaitForHumanAsync(created.ResumeToken, TimeSpan.FromMinutes(2), Ct);

        var claimed = await human.ActOkAsync(created.Id.ToString(), "claim");
        claimed.GetProperty("status").GetString().ShouldBe("with_human");
        await agent.AppendMessageAsync(created.Id, MessageRole.Customer, "Hello? Is someone there?", cancellationToken: Ct);
        await human.ActOkAsync(created.Id.ToString(), "reply", new { content = "Hi Ada, I am refunding the second charge now." });
        await Task.Delay(200, Ct);
        waiting.IsCompleted.ShouldBeFalse("the wait must hold until the hand-back");
        await human.ActOkAsync(created.Id.ToString(), "resolve", Resolution);

        var escalation = await waiting;
        escalation.Id.ShouldBe(created.Id);
        escalation.Status.ShouldBe(EscalationStatus.Resolved);
        escalation.Owner!.Type.ShouldBe(OwnerType.Ai);
        var handBack = escalation.HandBack.ShouldNotBeNull();
        handBack.Outcome.ShouldBe(HandBackOutcome.Resolved);
        handBack.Owner.ShouldBe(OwnerType.Ai);
        handBack.Resolution!.InstructionsForAgent.ShouldBe("Confirm the refund arrives in 3-5 days.");
        handBack.Resolution.Fields!["refund_id"]!.GetValue<string>().ShouldBe("re_123");
        handBack.MustNotClaim.ShouldBe(["that the customer was charged only once"]);
        handBack.DecidedBy!.Id.ShouldBe(operatorMember.PersonId.ToString());
        handBack.TranscriptDelta.Select(line => (line.Role, line.Content)).ShouldBe([
            (MessageRole.Customer, "Hello? Is someone there?"),
            (MessageRole.Operator, "Hi Ada, I am refunding the second charge now.")]);
    }

    [Fact]
    public async Task A_restarted_agent_that_kept_only_the_resume_token_gets_the_hand_back()
    {
        var tenant = await _app.NewTenantAsync();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);

        string resumeToken;
        await using (var before = _app.AgentServices(tenant.ApiKey))
        {
            var created = await before.GetRequiredService<AwaitHumanClient>().EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
            resumeToken = created.ResumeToken;
            // The agent dies mid-wait.
            using var dying = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var wait = before.GetRequiredService<AwaitHumanClient>().WaitForHumanAsync(resumeToken, cancellationToken: dying.Token);
            dying.CancelAfter(300);
            await Should.ThrowAsync<OperationCanceledException>(() => wait);
        }

        await using var after = _app.AgentServices(tenant.ApiKey);
        var waiting = after.GetRequiredService<AwaitHumanClient>().WaitForHumanAsync(resumeToken, TimeSpan.FromMinutes(2), Ct);
        var id = (await after.GetRequiredService<AwaitHumanClient>().ListAsync(cancellationToken: Ct)).Items.Single().Id.ToString();
        await human.ActOkAsync(id, "resolve", Resolution);

        var escalation = await waiting;
        escalation.Id.ToString().ShouldBe(id);
        escalation.HandBack!.Outcome.ShouldBe(HandBackOutcome.Resolved);
    }

    [Fact]
    public async Task An_agent_that_comes_back_after_the_resolution_gets_the_hand_back_at_once()
    {
        var tenant = await _app.NewTenantAsync();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await _app.Agent(tenant.ApiKey).EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        await human.ActOkAsync(created.Id.ToString(), "resolve", Resolution);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var escalation = await _app.Agent(tenant.ApiKey).WaitForHumanAsync(created.ResumeToken, TimeSpan.FromMinutes(1), Ct);

        escalation.HandBack!.Outcome.ShouldBe(HandBackOutcome.Resolved);
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Waiting_by_id_gets_an_approval_decision_with_the_edited_arguments()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await agent.EscalateAsync(RealAgents.Handoff() with
        {
            Kind = EscalationKind.Approval,
            Action = new ProposedAction { Name = "issue_refund", Arguments = new System.Text.Json.Nodes.JsonObject { ["order"] = 1042, ["amount"] = 49.90 } },
        }, cancellationToken: Ct);
        var waiting = agent.WaitForHumanAsync(created.Id, TimeSpan.FromMinutes(2), Ct);

        await human.ActOkAsync(created.Id.ToString(), "claim");
        await human.ActOkAsync(created.Id.ToString(), "decision", new { decision = "edit", arguments = new { order = 1042, amount = 25.00 }, reason = "Half is policy" });

        var escalation = await waiting;
        escalation.Action!.Name.ShouldBe("issue_refund");
        escalation.HandBack!.Outcome.ShouldBe(HandBackOutcome.Edited);
        escalation.HandBack.Decision!.Decision.ShouldBe(ApprovalDecisionType.Edit);
        escalation.HandBack.Decision.Arguments!["amount"]!.GetValue<decimal>().ShouldBe(25.00m);
    }

    [Fact]
    public async Task A_wait_nobody_answers_goes_on_poll_after_poll_until_the_given_time()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey, options => options.WaitPollDuration = TimeSpan.FromSeconds(1));
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Should.ThrowAsync<TimeoutException>(() => agent.WaitForHumanAsync(created.ResumeToken, TimeSpan.FromSeconds(3.5), Ct));

        // Three one-second polls the server held, then the deadline.
        started.Elapsed.ShouldBeInRange(TimeSpan.FromSeconds(3.4), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_forged_resume_token_or_another_tenants_token_is_a_404_problem()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var created = await _app.Agent(other.ApiKey).EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        var agent = _app.Agent(tenant.ApiKey);

        foreach (var token in new[] { "rt_forged", created.ResumeToken })
        {
            var failure = await Should.ThrowAsync<AwaitHumanException>(() => agent.WaitForHumanAsync(token, TimeSpan.FromSeconds(30), Ct));
            failure.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            failure.Problem!.Status.ShouldBe(404);
        }
    }
}
