using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace AwaitHuman.Client.Tests;

public class RetryTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_create_answered_503_then_201_is_sent_twice_with_the_same_idempotency_key_and_body()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.ServiceUnavailable, """{"status":503,"title":"Service Unavailable"}""")
            .Then(HttpStatusCode.Created, Samples.Created);

        var created = await server.Client().EscalateAsync(ClientFixtures.Request, cancellationToken: Ct);

        created.Id.ShouldBe(Samples.EscalationId);
        created.ResumeToken.ShouldBe("rt_abc");
        server.Seen.Count.ShouldBe(2);
        server.Seen.ShouldAllBe(request => request.Method == HttpMethod.Post && request.Uri == new Uri("https://awaithuman.test/api/v1/escalations"));
        server.Seen[0].IdempotencyKey.ShouldNotBeNullOrWhiteSpace();
        server.Seen[1].IdempotencyKey.ShouldBe(server.Seen[0].IdempotencyKey);
        server.Seen[1].Body.ShouldBe(server.Seen[0].Body);
    }

    [Fact]
    public async Task A_create_whose_connection_failed_is_retried_under_the_same_key()
    {
        var server = new ScriptedHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)))
            .ThenThrow(new HttpRequestException(HttpRequestError.ResponseEnded, "the server hung up"))
            .Then(HttpStatusCode.Created, Samples.Created);

        await server.Client().EscalateAsync(ClientFixtures.Request, "my-key", Ct);

        server.Seen.Select(request => request.IdempotencyKey).ShouldBe(["my-key", "my-key", "my-key"]);
    }

    [Fact]
    public async Task Every_create_gets_a_key_of_its_own()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.Created, Samples.Created).Then(HttpStatusCode.Created, Samples.Created);
        var client = server.Client();

        await client.EscalateAsync(ClientFixtures.Request, cancellationToken: Ct);
        await client.EscalateAsync(ClientFixtures.Request, cancellationToken: Ct);

        server.Seen[0].IdempotencyKey.ShouldNotBe(server.Seen[1].IdempotencyKey);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Transient_answers_are_retried_until_the_retries_run_out_then_surface(HttpStatusCode status)
    {
        var server = new ScriptedHandler();
        for (var attempt = 0; attempt < 4; attempt++) server.Then(status, $$"""{"status":{{(int)status}},"title":"Busy"}""");

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client(options => options.MaxRetries = 3).GetAsync(Samples.EscalationId, Ct));

        failure.StatusCode.ShouldBe(status);
        failure.Problem!.Title.ShouldBe("Busy");
        server.Seen.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_servers_Retry_After()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"status":429,"title":"Too Many Requests"}""", response => response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)))
            .Then(HttpStatusCode.OK, Samples.Escalation());
        var clock = Stopwatch.StartNew();

        // The backoff alone would retry after about a millisecond.
        await server.Client().GetAsync(Samples.EscalationId, Ct);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95));
        server.Seen.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_client_waits_surfaces_at_once_with_the_delay()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"status":429,"title":"Too Many Requests"}""", response => response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(5)));

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client().GetAsync(Samples.EscalationId, Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        failure.RetryAfter.ShouldBe(TimeSpan.FromMinutes(5));
        server.Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_is_not_sent_twice_when_the_server_may_have_stored_it()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.BadGateway, """{"status":502,"title":"Bad Gateway"}""");

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client().AppendMessageAsync(Samples.EscalationId, MessageRole.Customer, "Hello?", cancellationToken: Ct));

        failure.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        server.Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_is_retried_when_the_server_certainly_did_not_take_it()
    {
        var server = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"status":429}""", response => response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero))
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "refused"))
            .Then(HttpStatusCode.OK, Samples.Escalation());

        await server.Client().AppendMessageAsync(Samples.EscalationId, MessageRole.Customer, "Hello?", cancellationToken: Ct);

        server.Seen.Count.ShouldBe(3);
        server.Seen.Select(request => request.Body).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_cut_at_the_request_timeout_and_retried()
    {
        var server = new ScriptedHandler().Then(HttpStatusCode.OK, Samples.Escalation());
        var hangsOnce = new HangingOnceHandler(server);
        var client = new AwaitHumanClient(new HttpClient(hangsOnce), ClientFixtures.FastOptions(options => options.RequestTimeout = TimeSpan.FromMilliseconds(300)));
        var clock = Stopwatch.StartNew();

        var escalation = await client.GetAsync(Samples.EscalationId, Ct);

        escalation.Id.ShouldBe(Samples.EscalationId);
        hangsOnce.Calls.ShouldBe(2);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task No_answer_at_all_surfaces_as_an_AwaitHumanException_with_the_cause()
    {
        var server = new ScriptedHandler();
        for (var attempt = 0; attempt < 2; attempt++) server.ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var failure = await Should.ThrowAsync<AwaitHumanException>(() => server.Client(options => options.MaxRetries = 1).GetAsync(Samples.EscalationId, Ct));

        failure.StatusCode.ShouldBeNull();
        failure.InnerException.ShouldBeOfType<HttpRequestException>();
        server.Seen.Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_callers_cancellation_stops_retrying_and_is_not_wrapped()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var server = new ScriptedHandler()
            .Then(_ => { cancellation.Cancel(); return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable); });

        await Should.ThrowAsync<OperationCanceledException>(() => server.Client().GetAsync(Samples.EscalationId, cancellation.Token));

        server.Seen.Count.ShouldBe(1);
    }
}

/// <summary>Holds the first request until it is cancelled (a server that never answers), then passes requests on.</summary>
sealed class HangingOnceHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    int _calls;

    public int Calls => _calls;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == 1) await Task.Delay(Timeout.Infinite, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
