using System.Diagnostics;
using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Hosting;

/// <summary>A node that stops (a rolling deploy) while agents wait on it, on a server and database of its own.</summary>
public sealed class ShutdownTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_long_polls_and_event_streams_answer_at_once_when_the_node_stops()
    {
        var app = await AwaitHumanApp.StartAsync(await TestPostgres.CreateDatabaseAsync("shutdown"));
        try
        {
            var tenant = await app.NewTenantAsync();
            using var agent = app.CreateHttpClient(tenant.ApiKey);
            agent.Timeout = TimeSpan.FromMinutes(2);
            var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;

            var waiting = agent.GetAsync($"/v1/escalations/{id}/wait?timeout_seconds=60", Ct);
            using var stream = await agent.GetAsync($"/v1/escalations/{id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
            stream.StatusCode.ShouldBe(HttpStatusCode.OK);
            var streamed = stream.Content.ReadAsStringAsync(Ct);
            // Parked: neither has an answer to give yet.
            (await Task.WhenAny(waiting, streamed, Task.Delay(TimeSpan.FromSeconds(1), Ct))).ShouldNotBe(waiting);
            waiting.IsCompleted.ShouldBeFalse();

            var stopping = Stopwatch.StartNew();
            await app.StopAsync();
            stopping.Stop();

            // An idle node stops in about 3 s; waiting out the poll would take the host's whole shutdown timeout.
            stopping.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
            using var waited = await waiting;
            waited.StatusCode.ShouldBe(HttpStatusCode.OK);
            var escalation = await waited.JsonAsync();
            escalation.GetProperty("status").GetString().ShouldBe("waiting_for_human");
            (await streamed).ShouldContain("event: escalation.opened");
            TestContext.Current.TestOutputHelper?.WriteLine($"Stopped with an open long poll and event stream in {stopping.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
