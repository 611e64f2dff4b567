using AwaitHuman.Server;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Testing;

/// <summary>
/// The real server application on real Kestrel, bound to a free loopback port, so tests (and later
/// Chromium) talk HTTP to it the way agents and browsers do.
/// </summary>
public sealed class AwaitHumanApp : IAsyncDisposable
{
    readonly WebApplication _app;

    AwaitHumanApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <param name="settings">Configuration as the command line would give it, e.g. OTEL_* keys.</param>
    public static async Task<AwaitHumanApp> StartAsync(
        string connectionString,
        Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        string[] arguments =
        [
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            "--ConnectionStrings:Postgres", connectionString,
            "--Logging:LogLevel:Default", "Warning",
            // A circuit's exception reaches the browser's console whole, where a failed portal test keeps it.
            "--DetailedErrors", "true",
            // Every test signs up and signs in from 127.0.0.1; the tests of the limits set their own.
            "--RateLimits:SignupPerAddressPerHour", "100000",
            "--RateLimits:SignInPerAddressPerMinute", "100000",
            "--RateLimits:AnonymousPerAddressPerMinute", "100000",
            .. (settings ?? new Dictionary<string, string>()).SelectMany(setting => new[] { $"--{setting.Key}", setting.Value }),
        ];
        var app = AwaitHumanServer.Build(arguments, builder => configureServices?.Invoke(builder.Services));

        try
        {
            await app.StartAsync();
            return new AwaitHumanApp(app, new Uri(app.Urls.Single()));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public Uri Address { get; }

    /// <summary>The host, for Wolverine's message tracking.</summary>
    public WebApplication Host => _app;

    public IServiceProvider Services => _app.Services;

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public HttpClient CreateHttpClient() => new() { BaseAddress = Address };

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
