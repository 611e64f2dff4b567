using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class OwnershipTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_operator_is_told_who_owns_it_and_a_supervisor_can_take_it_back()
    {
        var tenant = await _app.NewTenantAsync();
        var first = await _app.NewMemberAsync(tenant, "operator");
        var second = await _app.NewMemberAsync(tenant, "operator");
        var supervisor = await _app.NewMemberAsync(tenant, "supervisor");
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetString()!;
        await _app.CreateHttpClient(first.Token).ActOkAsync(id, "claim");

        foreach (var action in new[] { "claim", "reply", "release" })
        {
            using var refused = await _app.CreateHttpClient(second.Token).ActAsync(id, action, new { content = "me too" });
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
            problem.GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(first.PersonId.ToString());
            problem.GetProperty("lease_expires_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        }

        var released = await _app.CreateHttpClient(supervisor.Token).ActOkAsync(id, "release");
        released.GetProperty("status").GetString().ShouldBe("waiting_for_human");
        (await _app.CreateHttpClient(second.Token).ActOkAsync(id, "claim")).GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(second.PersonId.ToString());
    }

    [Fact]
    public async Task Machine_credentials_cannot_act_as_operators()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;

        using var response = await agent.ActAsync(id, "claim");
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Of_many_operators_claiming_at_once_exactly_one_wins_and_nothing_is_lost()
    {
        var tenant = await _app.NewTenantAsync();
        var operators = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _app.NewMemberAsync(tenant, "operator")));
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetString()!;

        var statuses = await Task.WhenAll(operators.Select(async member =>
        {
            using var response = await _app.CreateHttpClient(member.Token).ActAsync(id, "claim");
            return (member.PersonId, response.StatusCode);
        }));

        statuses.Count(s => s.StatusCode == HttpStatusCode.OK).ShouldBe(1, string.Join(", ", statuses.Select(s => s.StatusCode)));
        statuses.Where(s => s.StatusCode != HttpStatusCode.OK).ShouldAllBe(s => s.StatusCode == HttpStatusCode.Conflict);
        var winner = statuses.Single(s => s.StatusCode == HttpStatusCode.OK).PersonId;
        (await Sql.ScalarAsync<long>(TestPostgres.ConnectionString, $"select count(*) from awaithuman.mt_events where stream_id = '{id}' and type = 'escalation_claimed'")).ShouldBe(1L);
        (await _app.CreateHttpClient(tenant.ApiKey).GetEscalationAsync(id)).GetProperty("owner").GetProperty("person_id").GetString().ShouldBe(winner.ToString());
    }

    [Fact]
    public async Task Concurrent_agent_messages_all_land_or_are_told_to_retry()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await agent.ActAsync(id, "messages", new { role = "customer", content = $"message {i}" });
            return response.StatusCode;
        }));

        statuses.ShouldAllBe(status => status == HttpStatusCode.OK || status == HttpStatusCode.Conflict);
        var transcript = (await agent.GetEscalationAsync(id)).GetProperty("transcript").GetArrayLength();
        transcript.ShouldBe(2 + statuses.Count(status => status == HttpStatusCode.OK));
    }
}
