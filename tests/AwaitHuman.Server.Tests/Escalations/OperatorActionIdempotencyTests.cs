using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

/// <summary>An operator action whose answer was lost is retried with the same Idempotency-Key, as an agent retries the create.</summary>
public class OperatorActionIdempotencyTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<HttpResponseMessage> ActAsync(HttpClient caller, string id, string action, object body, string? key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/v1/escalations/{id}/{action}") { Content = JsonContent.Create(body) };
        if (key is not null) message.Headers.Add("Idempotency-Key", key);
        return await caller.SendAsync(message, Ct);
    }

    [Fact]
    public async Task A_retried_resolve_with_the_same_key_gets_the_first_answer_not_a_409()
    {
        var tenant = await _app.NewTenantAsync();
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetString()!;
        using var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var resolve = new { outcome = "resolved", resolution = new { summary = "Refunded the duplicate charge." } };
        var key = $"resolve-{Guid.NewGuid():N}";

        using var first = await ActAsync(human, id, "resolve", resolve, key);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync(Ct));
        using var retried = await ActAsync(human, id, "resolve", resolve, key);

        retried.StatusCode.ShouldBe(HttpStatusCode.OK, await retried.Content.ReadAsStringAsync(Ct));
        retried.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await retried.JsonAsync()).ToString().ShouldBe((await first.JsonAsync()).ToString());
        (await human.GetEscalationAsync(id)).GetProperty("status").GetString().ShouldBe("resolved");

        // Without the key it is the conflict it always was; with the key and another body, a 422.
        using var unkeyed = await ActAsync(human, id, "resolve", resolve, null);
        unkeyed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var reused = await ActAsync(human, id, "resolve", new { outcome = "resolved", resolution = new { summary = "Something else." } }, key);
        await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var otherAction = await ActAsync(human, id, "reopen", new { reason = "again" }, key);
        await otherAction.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_key_is_the_callers_own_and_a_refused_action_keeps_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync()).GetProperty("id").GetString()!;
        using var first = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        using var second = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var key = $"claim-{Guid.NewGuid():N}";

        // Refused (no outcome): nothing is kept, so the corrected request with the same key acts.
        using var invalid = await ActAsync(first, id, "resolve", new { outcome = "nonsense" }, key);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var claimed = await ActAsync(first, id, "claim", new { }, key);
        claimed.StatusCode.ShouldBe(HttpStatusCode.OK, await claimed.Content.ReadAsStringAsync(Ct));

        // Another person's request with the same key is theirs: it meets the claim, not the first person's answer.
        using var stranger = await ActAsync(second, id, "claim", new { }, key);
        stranger.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        stranger.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();

        using var badKey = await ActAsync(first, id, "release", new { }, new string('k', 256));
        await badKey.ShouldBeInvalidAsync("Idempotency-Key");
    }
}
