using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Connectors.WebChat.Tests.Widget;

/// <summary>A tenant's web page on its own loopback origin, embedding the widget with one script tag.</summary>
public sealed class HostPage : IAsyncDisposable
{
    readonly WebApplication _app;

    HostPage(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.Single());

    /// <summary>The page's origin as browsers send it, for the connection's allowed_origins.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    /// <param name="scriptTag">Set once the page knows its origin (the connection needs it first).</param>
    public static async Task<HostPage> StartAsync(Func<string> scriptTag)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(
            $$"""
            <!doctype html>
            <html lang="en"><head><title>Acme shop</title>
            <style>button { background: lime !important; font-size: 40px }</style></head>
            <body><h1>Acme shop</h1>
            {{scriptTag()}}
            </body></html>
            """, "text/html"));
        await app.StartAsync();
        return new HostPage(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
