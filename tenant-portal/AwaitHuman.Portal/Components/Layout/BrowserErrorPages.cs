using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Portal.Components.Layout;

/// <summary>
/// A 404 or 403 without a body, asked for by a browser (it accepts HTML, and the address is not the
/// API's), gets a page in the console's look instead of the problem details JSON the API answers.
/// </summary>
public static class BrowserErrorPages
{
    static readonly string[] ApiPrefixes = ["/v1", "/mcp", "/openapi", "/health", "/_blazor", "/_framework", "/_content", "/connectors", "/test-node"];

    public static WebApplication UseBrowserErrorPages(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            await next();
            var status = context.Response.StatusCode;
            if (status is not (StatusCodes.Status404NotFound or StatusCodes.Status403Forbidden)) return;
            if (context.Response.HasStarted || context.Response.ContentLength is not null || !string.IsNullOrEmpty(context.Response.ContentType)) return;
            if (!HttpMethods.IsGet(context.Request.Method) || !WantsHtml(context.Request)) return;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page(status));
        });
        return app;
    }

    static bool WantsHtml(HttpRequest request) =>
        !ApiPrefixes.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
        && request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    static string Page(int status)
    {
        var (title, text) = status == StatusCodes.Status404NotFound
            ? ("Page not found", "There is nothing at this address. It may have moved, or the link may be mistyped.")
            : ("Not allowed", "Your role in this tenant does not open this page. Ask an admin of the tenant if you need it.");
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1.0" />
              <title>{{WebUtility.HtmlEncode(title)}} · AwaitHuman</title>
              <link rel="icon" type="image/svg+xml" href="{{PortalAssets.Icon}}" />
              <style>
                body { margin: 0; font-family: Roboto, Helvetica, Arial, sans-serif; color: #1d2433; background: #f7f8fb; }
                header { display: flex; align-items: center; gap: .5rem; padding: .6rem 1rem; background: #1d2433; color: #fff; font-size: 1.2rem; }
                main { max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }
                h1 { font-size: 1.6rem; font-weight: 500; }
                a { color: #1f4fd1; }
                a:focus-visible { outline: 3px solid #1f4fd1; outline-offset: 2px; }
                .skip-link { position: absolute; left: .5rem; top: -3rem; background: #fff; padding: .5rem; }
                .skip-link:focus { top: .5rem; }
              </style>
            </head>
            <body>
              <a class="skip-link" href="#main">Skip to content</a>
              <header><img src="{{PortalAssets.Icon}}" alt="" width="24" height="24" /> AwaitHuman</header>
              <main id="main">
                <h1>{{WebUtility.HtmlEncode(title)}}</h1>
                <p>{{WebUtility.HtmlEncode(text)}}</p>
                <p><a href="/">Back to the inbox</a></p>
              </main>
            </body>
            </html>
            """;
    }
}
