using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AwaitHuman.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Server.Tests.Hosting;

public class TelemetryExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_configured_traces_metrics_and_logs_are_exported_to_it()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        // A database of its own: a second host on the shared one would join the shared host's Wolverine cluster.
        var connectionString = await TestPostgres.CreateDatabaseAsync("telemetry");
        await using var app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export within moments instead of the default seconds-long batches.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });

        using var client = app.CreateHttpClient();
        (await client.GetAsync("/v1", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var deadline = Stopwatch.StartNew();
        while (!collector.Received(["/v1/traces", "/v1/metrics", "/v1/logs"]) && deadline.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(100, TestContext.Current.CancellationToken);

        collector.Paths.ShouldContain("/v1/traces");
        collector.Paths.ShouldContain("/v1/metrics");
        collector.Paths.ShouldContain("/v1/logs");
        collector.ContentTypes.ShouldAllBe(type => type == "application/x-protobuf");
    }

    /// <summary>Accepts OTLP/HTTP posts on loopback and remembers where they went.</summary>
    sealed class FakeOtlpCollector : IAsyncDisposable
    {
        readonly WebApplication _app;
        readonly ConcurrentBag<(string Path, string? ContentType)> _requests = [];

        FakeOtlpCollector(WebApplication app) => _app = app;

        public Uri Address => new(_app.Urls.Single());
        public IEnumerable<string> Paths => _requests.Select(r => r.Path).Distinct();
        public IEnumerable<string?> ContentTypes => _requests.Select(r => r.ContentType).Distinct();

        public bool Received(IEnumerable<string> paths) => paths.All(Paths.Contains);

        public static async Task<FakeOtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new FakeOtlpCollector(app);
            app.MapPost("/v1/{signal}", (HttpRequest request) =>
            {
                collector._requests.Add((request.Path.Value!, request.ContentType));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
