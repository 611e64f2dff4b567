using System.Net;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Client.Tests.Escalations;

[Collection(nameof(RealServer))]
public class AgentCallsTests(ClientTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task What_the_agent_sends_is_what_it_reads_back()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var request = RealAgents.Handoff() with { DeadlineSeconds = 3600 };

        var created = await agent.EscalateAsync(request, cancellationToken: Ct);
        var escalation = await agent.GetAsync(created.Id, Ct);

        escalation.Kind.ShouldBe(EscalationKind.Handoff);
        escalation.Status.ShouldBe(EscalationStatus.WaitingForHuman);
        escalation.Reason.ShouldBe("refund_dispute");
        escalation.Confidence.ShouldBe(0.42);
        escalation.Priority.ShouldBe(EscalationPriority.High);
        escalation.ExternalRef.ShouldBe(request.ExternalRef);
        escalation.Customer!.Email.ShouldBe("ada@example.com");
        escalation.Channel.ShouldBe(CustomerChannel.Agent);
        escalation.Agent!.Trace!.Single().Output!["charges"]!.GetValue<int>().ShouldBe(2);
        escalation.Metadata!["tier"]!.GetValue<string>().ShouldBe("gold");
        escalation.Transcript.Select(line => line.Role).ShouldBe([MessageRole.Customer, MessageRole.Agent]);
        escalation.DeadlineAt.ShouldBe(created.CreatedAt.AddHours(1));
        created.DeadlineAt.ShouldBe(escalation.DeadlineAt);
        escalation.Notes.ShouldBeNull();
        escalation.HandBack.ShouldBeNull();
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_retried_under_its_key_and_makes_one_escalation()
    {
        var tenant = await _app.NewTenantAsync();
        var loses = new LosesFirstAnswer();
        await using var services = _app.AgentServices(tenant.ApiKey, builder => builder.AddHttpMessageHandler(() => loses));
        var agent = services.GetRequiredService<AwaitHumanClient>();
        var request = RealAgents.Handoff();

        var created = await agent.EscalateAsync(request, cancellationToken: Ct);

        loses.Requests.ShouldBe(2);
        loses.Replayed.ShouldBe("true");
        var page = await agent.ListAsync(new EscalationFilter { ExternalRef = request.ExternalRef }, cancellationToken: Ct);
        page.Items.Select(item => item.Id).ShouldBe([created.Id]);
    }

    [Fact]
    public async Task The_same_key_twice_gives_the_same_escalation_and_with_another_body_a_422()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var request = RealAgents.Handoff();

        var first = await agent.EscalateAsync(request, "conversation-7", Ct);
        var again = await agent.EscalateAsync(request, "conversation-7", Ct);
        var failure = await Should.ThrowAsync<AwaitHumanException>(() => agent.EscalateAsync(request with { Summary = "Something else" }, "conversation-7", Ct));

        again.Id.ShouldBe(first.Id);
        again.ResumeToken.ShouldBe(first.ResumeToken);
        failure.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await agent.ListAsync(new EscalationFilter { ExternalRef = request.ExternalRef }, cancellationToken: Ct)).Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_hands_back_as_cancelled_and_a_second_cancel_is_a_conflict()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);

        var cancelled = await agent.CancelAsync(created.Id, "The customer found the refund.", Ct);

        cancelled.Status.ShouldBe(EscalationStatus.Cancelled);
        cancelled.HandBack!.Outcome.ShouldBe(HandBackOutcome.Cancelled);
        cancelled.HandBack.Resolution!.Summary.ShouldBe("The customer found the refund.");
        (await agent.WaitForHumanAsync(created.ResumeToken, TimeSpan.FromSeconds(30), Ct)).HandBack!.Outcome.ShouldBe(HandBackOutcome.Cancelled);
        var again = await Should.ThrowAsync<AwaitHumanException>(() => agent.CancelAsync(created.Id, cancellationToken: Ct));
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        again.Problem!.Detail!.ShouldContain("cancelled");
    }

    [Fact]
    public async Task Drafts_come_back_with_what_the_operator_did_with_them()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);

        var kept = await agent.ProposeDraftAsync(created.Id, "We refunded the second charge.", Ct);
        var dropped = await agent.ProposeDraftAsync(created.Id, "Please wait.", Ct);
        kept.EscalationId.ShouldBe(created.Id);
        await human.ActOkAsync(created.Id.ToString(), "claim");
        await human.ActOkAsync(created.Id.ToString(), $"drafts/{kept.DraftId}/approve", new { content = "We refunded the second charge: 49.90 EUR." });
        await human.ActOkAsync(created.Id.ToString(), $"drafts/{dropped.DraftId}/reject", new { reason = "Not needed" });

        var drafts = (await agent.GetAsync(created.Id, Ct)).Drafts;

        var edited = drafts.Single(draft => draft.Id == kept.DraftId);
        edited.Status.ShouldBe(DraftStatus.Edited);
        edited.Content.ShouldBe("We refunded the second charge.");
        edited.FinalContent.ShouldBe("We refunded the second charge: 49.90 EUR.");
        edited.DecidedBy!.Id.ShouldBe(operatorMember.PersonId.ToString());
        var rejected = drafts.Single(draft => draft.Id == dropped.DraftId);
        rejected.Status.ShouldBe(DraftStatus.Rejected);
        rejected.Reason.ShouldBe("Not needed");
    }

    [Fact]
    public async Task The_agent_may_relay_the_customer_but_not_speak_while_a_human_owns_the_conversation()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        await human.ActOkAsync(created.Id.ToString(), "claim");

        var relayed = await agent.AppendMessageAsync(created.Id, MessageRole.Customer, "Still there?", cancellationToken: Ct);
        var failure = await Should.ThrowAsync<AwaitHumanException>(() => agent.AppendMessageAsync(created.Id, MessageRole.Agent, "I can help!", cancellationToken: Ct));

        relayed.Transcript[^1].Content.ShouldBe("Still there?");
        relayed.Owner!.Type.ShouldBe(OwnerType.Human);
        relayed.Owner.PersonId.ShouldBe(operatorMember.PersonId.ToString());
        failure.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        failure.Problem!.Detail!.ShouldContain("owns this conversation");
        failure.Problem.Extensions!["owner"]!["person_id"]!.GetValue<string>().ShouldBe(operatorMember.PersonId.ToString());
    }

    [Fact]
    public async Task Invalid_fields_surface_by_name()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => agent.EscalateAsync(RealAgents.Handoff() with
        {
            Reason = "Not A Code",
            Confidence = 2,
            Customer = new Customer { Email = "not-an-address" },
        }, cancellationToken: Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        failure.Errors.Keys.ShouldBe(["reason", "confidence", "customer.email"], ignoreOrder: true);
        (await agent.ListAsync(cancellationToken: Ct)).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_escalation_that_does_not_exist_here_is_a_404_problem()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var theirs = await _app.Agent(other.ApiKey).EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        var agent = _app.Agent(tenant.ApiKey);

        foreach (var id in new[] { Guid.CreateVersion7(), theirs.Id })
        {
            var failure = await Should.ThrowAsync<AwaitHumanException>(() => agent.GetAsync(id, Ct));
            failure.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            failure.Problem!.Title.ShouldBe("Not found");
        }
    }

    [Fact]
    public async Task Listing_follows_the_pages_and_filters()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await agent.EscalateAsync(RealAgents.Handoff($"shared-ref"), cancellationToken: Ct)).Id);
        await agent.EscalateAsync(RealAgents.Handoff() with { Priority = EscalationPriority.Low }, cancellationToken: Ct);
        await agent.CancelAsync(ids[0], cancellationToken: Ct);

        var all = new List<EscalationSummary>();
        await foreach (var item in agent.ListAllAsync(new EscalationFilter { ExternalRef = "shared-ref", Limit = 1 }, Ct)) all.Add(item);
        var open = await agent.ListAsync(new EscalationFilter { ExternalRef = "shared-ref", Statuses = [EscalationStatus.WaitingForHuman, EscalationStatus.WithHuman] }, cancellationToken: Ct);

        all.Select(item => item.Id).ShouldBe(Enumerable.Reverse(ids));
        all.ShouldAllBe(item => item.Priority == EscalationPriority.High && item.CustomerName == "Ada Lovelace" && item.Messages == 2);
        all.Single(item => item.Id == ids[0]).Outcome.ShouldBe(HandBackOutcome.Cancelled);
        open.Items.Select(item => item.Id).ShouldBe([ids[2], ids[1]]);
    }
}

/// <summary>
/// Lets the first request reach the server but loses its answer (the connection drops on the way
/// back), as a flaky network does; later requests pass. Records whether the server said it replayed.
/// </summary>
sealed class LosesFirstAnswer : DelegatingHandler
{
    int _requests;

    public int Requests => _requests;

    public string? Replayed { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Increment(ref _requests) == 1)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection dropped before the answer arrived.");
        }
        Replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null;
        return response;
    }
}
