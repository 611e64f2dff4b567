using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Core.Accounts;

/// <summary>
/// The look and the form plumbing the plain account pages share (sign-in, password reset, tenant
/// switch, sign-out): one small card, antiforgery on every form, redirects to this server only.
/// </summary>
public static class AccountPage
{
    static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Encode(string? text) => Html.Encode(text ?? "");

    /// <summary>Only paths on this server: an open redirect would hand the person to anyone's page.</summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    public static string LocalOr(string? url, string fallback) => IsLocal(url) ? url! : fallback;

    /// <summary>The opening of a POST form to <paramref name="action"/> with its antiforgery field; close it with &lt;/form&gt;.</summary>
    public static string FormStart(HttpContext context, IAntiforgery antiforgery, string action)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"""
            <form method="post" action="{Encode(action)}">
              <input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken)}">
            """;
    }

    /// <summary>The problem as an alert; null shows nothing.</summary>
    public static string Alert(string? problem) => problem is null ? "" : $"""<p role="alert" class="problem">{Encode(problem)}</p>""";

    public static string Notice(string? message) => message is null ? "" : $"""<p role="status" class="notice">{Encode(message)}</p>""";

    /// <summary>A form that failed on its antiforgery token: the page was open too long or came from elsewhere.</summary>
    public static IResult ExpiredForm(string page) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Expired form", detail: $"The form has expired; open the {page} page again.");

    /// <param name="title">The tab's title, before " · AwaitHuman".</param>
    /// <param name="body">Already encoded HTML for inside the card.</param>
    public static IResult Render(string title, string heading, string body, int status = StatusCodes.Status200OK) => Results.Content($$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{Encode(title)}} · AwaitHuman</title>
          <style>
            body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2433; display: grid; place-items: center; min-height: 100vh; margin: 0; }
            main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: min(24rem, 90vw); }
            label { display: block; margin-top: 1rem; font-weight: 600; }
            input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; border: 1px solid #8a94a6; border-radius: 4px; }
            button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1f4fd1; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
            .problem { background: #fdecea; color: #8a1c12; padding: .75rem; border-radius: 4px; }
            .notice { background: #e8f4ea; color: #1d5c2a; padding: .75rem; border-radius: 4px; }
            .hint { color: #4a5568; font-size: .9rem; }
          </style>
        </head>
        <body>
          <main>
            <h1>{{Encode(heading)}}</h1>
            {{body}}
          </main>
        </body>
        </html>
        """, "text/html; charset=utf-8", statusCode: status);
}
