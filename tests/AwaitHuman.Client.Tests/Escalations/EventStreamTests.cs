using AwaitHuman.Testing;

namespace AwaitHuman.Client.Tests.Escalations;

[Collection(nameof(RealServer))]
public class EventStreamTests(ClientTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_agent_follows_the_escalation_and_resumes_after_the_last_event_it_saw()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);

        var seen = new List<EscalationEvent>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        await foreach (var escalationEvent in agent.StreamEventsAsync(created.Id, cancellationToken: limit.Token))
        {
            seen.Add(escalationEvent);
            if (escalationEvent.Type == "escalation.opened") await human.ActOkAsync(created.Id.ToString(), "claim");
            if (escalationEvent.Type == "escalation.claimed")
                await human.ActOkAsync(created.Id.ToString(), "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded." } });
            if (escalationEvent.Type == "escalation.resolved") break;
        }

        seen.Select(e => e.Type).ShouldBe(["escalation.opened", "escalation.claimed", "escalation.resolved"]);
        seen[^1].HandBack!.Outcome.ShouldBe(HandBackOutcome.Resolved);
        seen[^1].HandBack!.Resolution!.Summary.ShouldBe("Refunded.");

        var afterOpened = new List<string>();
        await foreach (var escalationEvent in agent.StreamEventsAsync(created.Id, lastEventId: seen[0].Id, cancellationToken: limit.Token))
        {
            afterOpened.Add(escalationEvent.Id);
            if (escalationEvent.Type == "escalation.resolved") break;
        }
        afterOpened.ShouldBe(seen.Skip(1).Select(e => e.Id));
    }

    [Fact]
    public async Task An_unknown_escalation_ends_the_stream_with_not_found()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);

        await Should.ThrowAsync<AwaitHumanNotFoundException>(async () =>
        {
            await foreach (var _ in agent.StreamEventsAsync(Guid.NewGuid(), cancellationToken: Ct)) { }
        });
    }
}
