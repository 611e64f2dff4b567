using System.Net;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Hosting;

public class HealthEndpointsTests(ServerTestsHost host)
{
    readonly HttpClient _client = host.App.CreateHttpClient();

    [Fact]
    public async Task Live_answers_without_touching_the_database()
    {
        using var response = await _client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task Ready_when_the_database_answers()
    {
        using var response = await _client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task Not_ready_once_the_database_is_gone_while_live_stays_up()
    {
        // A cluster of this test's own, so stopping it harms nobody else.
        var scratch = TestPostgres.NewScratchDirectory("ready");
        var cluster = Server.Hosting.Database.EmbeddedPostgres.Start(new() { DataDirectory = Path.Combine(scratch, "pg"), Throwaway = true });
        try
        {
            await using var app = await AwaitHumanApp.StartAsync(cluster.ConnectionString);
            using var client = app.CreateHttpClient();
            (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

            cluster.Dispose();

            using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("Unhealthy");
            (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            cluster.Dispose();
            Directory.Delete(scratch, recursive: true);
        }
    }
}
