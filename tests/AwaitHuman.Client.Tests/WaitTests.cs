using System.Diagnostics;
using System.Net;

namespace AwaitHuman.Client.Tests;

public class WaitTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waiting_by_resume_token_polls_until_the_hand_back_comes()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.OK, Samples.Escalation())
            .Then(HttpStatusCode.OK, Samples.Escalation(status: "with_human"))
            .Then(HttpStatusCode.OK, Samples.Escalation(Samples.HandBack, "resolved"));

        var escalation = await server.Client().WaitForHumanAsync("rt_a/b+c", cancellationToken: Ct);

        escalation.IsHandedBack.ShouldBeTrue();
        escalation.HandBack.Outcome.ShouldBe(HandBackOutcome.Edited);
        server.Seen.Count.ShouldBe(3);
        server.Seen.ShouldAllBe(request => request.Method == HttpMethod.Get
            && request.Uri.AbsolutePath == "/api/v1/escalations/wait"
            && request.Uri.Query == "?resume_token=rt_a%2Fb%2Bc&timeout_seconds=60");
    }

    [Fact]
    public async Task Waiting_by_id_polls_the_escalations_own_wait()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.OK, Samples.Escalation(Samples.HandBack, "resolved"));

        await server.Client(options => options.WaitPollDuration = TimeSpan.FromSeconds(20)).WaitForHumanAsync(Samples.EscalationId, cancellationToken: Ct);

        server.Seen.Single().Uri.PathAndQuery.ShouldBe($"/api/v1/escalations/{Samples.EscalationId}/wait?timeout_seconds=20");
    }

    [Fact]
    public async Task A_wait_with_a_time_limit_asks_for_no_longer_polls_and_times_out_when_nobody_answers()
    {
        var server = new ScriptedHandler();
        // The fake answers at once; a real server would hold each poll for timeout_seconds.
        for (var poll = 0; poll < 10; poll++) server.Then(HttpStatusCode.OK, Samples.Escalation());
        var clock = Stopwatch.StartNew();

        await Should.ThrowAsync<TimeoutException>(() => server.Client().WaitForHumanAsync("rt_abc", TimeSpan.FromSeconds(2.5), Ct));

        clock.Elapsed.ShouldBeInRange(TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(6));
        server.Seen[0].Uri.Query.ShouldEndWith("timeout_seconds=3");
        // Polls answered at once are spaced out, not fired in a tight loop.
        server.Seen.Count.ShouldBeInRange(2, 4);
    }

    [Fact]
    public async Task A_wait_rides_out_more_failures_than_an_ordinary_call_would()
    {
        var server = new ScriptedHandler();
        for (var attempt = 0; attempt < 6; attempt++) server.Then(HttpStatusCode.ServiceUnavailable, """{"status":503}""");
        server.ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "restarting"));
        server.Then(HttpStatusCode.OK, Samples.Escalation(Samples.HandBack, "resolved"));

        var escalation = await server.Client(options => options.MaxRetries = 2).WaitForHumanAsync("rt_abc", TimeSpan.FromSeconds(30), Ct);

        escalation.IsHandedBack.ShouldBeTrue();
        server.Seen.Count.ShouldBe(8);
    }

    [Fact]
    public async Task An_unknown_resume_token_fails_at_once()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.NotFound, """{"status":404,"title":"Not Found"}""");

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client().WaitForHumanAsync("rt_forged", cancellationToken: Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        server.Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_a_wait_is_a_cancellation_not_a_timeout()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var server = new ScriptedHandler()
            .Then(_ => { cancellation.Cancel(); return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Samples.Escalation()) }; });

        var failure = await Should.ThrowAsync<OperationCanceledException>(() => server.Client().WaitForHumanAsync("rt_abc", TimeSpan.FromMinutes(1), cancellation.Token));

        failure.ShouldNotBeOfType<TimeoutException>();
    }
}
