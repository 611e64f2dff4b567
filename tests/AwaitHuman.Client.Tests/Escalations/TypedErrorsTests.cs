using System.Net;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Client.Tests.Escalations;

[Collection(nameof(RealServer))]
public class TypedErrorsTests(ClientTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_refusal_the_agent_branches_on_has_its_own_exception()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);

        var invalid = await Should.ThrowAsync<AwaitHumanValidationException>(
            () => agent.EscalateAsync(RealAgents.Handoff() with { Reason = "Not A Code!", Confidence = 7 }, cancellationToken: Ct));
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        invalid.Errors.Keys.ShouldContain("reason");
        invalid.Errors.Keys.ShouldContain("confidence");

        await Should.ThrowAsync<AwaitHumanUnauthorizedException>(() => _app.Agent("ah_live_wrong").GetAsync(Guid.NewGuid(), Ct));
        await Should.ThrowAsync<AwaitHumanNotFoundException>(() => agent.GetAsync(Guid.NewGuid(), Ct));

        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        await agent.CancelAsync(created.Id, cancellationToken: Ct);
        var conflict = await Should.ThrowAsync<AwaitHumanConflictException>(() => agent.CancelAsync(created.Id, cancellationToken: Ct));
        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        // Still an AwaitHumanException, for callers that catch them all.
        conflict.ShouldBeAssignableTo<AwaitHumanException>();
    }

    [Fact]
    public async Task The_interface_resolves_to_the_registered_client()
    {
        var tenant = await _app.NewTenantAsync();
        await using var services = _app.AgentServices(tenant.ApiKey);

        var agent = services.GetRequiredService<IAwaitHumanClient>();

        agent.ShouldBeOfType<AwaitHumanClient>();
        (await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct)).ResumeToken.ShouldStartWith("rt_");
    }
}
