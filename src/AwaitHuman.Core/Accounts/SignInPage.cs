using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;

namespace AwaitHuman.Core.Accounts;

/// <summary>
/// The page a browser lands on when something needs a signed-in person, such as an app's OAuth
/// authorize request: a plain form over the same sign-in as <c>POST /v1/auth/login</c>, which then
/// returns to where the person came from. The operator console ([6/6]) links here too.
/// </summary>
public static class SignInPage
{
    public const string Path = "/account/login";

    [WolverineGet(Path, OperationId = "SignInPage")]
    [ExcludeFromDescription]
    public static IResult Show(string? returnUrl, HttpContext context, IAntiforgery antiforgery) =>
        Page(context, antiforgery, returnUrl, email: null, tenant: null, problem: null, StatusCodes.Status200OK);

    [WolverinePost(Path, OperationId = "SignInWithPage")]
    [ExcludeFromDescription]
    [EnableRateLimiting(SignInEndpoints.RateLimitPolicy)]
    public static async Task<IResult> Submit(
        HttpContext context, IAntiforgery antiforgery, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Expired form", detail: "The form has expired; open the sign-in page again.");

        var form = await context.Request.ReadFormAsync(ct);
        string? Field(string name) => string.IsNullOrWhiteSpace(form[name]) ? null : form[name].ToString();
        var returnUrl = Field("return_url");

        var result = await SignInEndpoints.SignIn(
            new SignIn(Field("email"), form["password"].ToString(), Field("two_factor_code"), Field("tenant")), people, signIn, store, clock, context, ct);
        if (result is Ok<SignedIn>)
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");

        return Page(context, antiforgery, returnUrl, Field("email"), Field("tenant"), SignInEndpoints.Explain(result), StatusCodes.Status400BadRequest);
    }

    /// <summary>Only paths on this server: an open redirect would hand the person to anyone's page.</summary>
    static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? email, string? tenant, string? problem, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var alert = problem is null ? "" : $"""<p role="alert" class="problem">{html.Encode(problem)}</p>""";
        return Results.Content($$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · AwaitHuman</title>
              <style>
                body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2433; display: grid; place-items: center; min-height: 100vh; margin: 0; }
                main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: min(24rem, 90vw); }
                label { display: block; margin-top: 1rem; font-weight: 600; }
                input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; border: 1px solid #8a94a6; border-radius: 4px; }
                button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1f4fd1; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
                .problem { background: #fdecea; color: #8a1c12; padding: .75rem; border-radius: 4px; }
                .hint { color: #4a5568; font-size: .9rem; }
              </style>
            </head>
            <body>
              <main>
                <h1>Sign in to AwaitHuman</h1>
                {{alert}}
                <form method="post" action="{{Path}}">
                  <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? "")}}">
                  <input type="hidden" name="return_url" value="{{html.Encode(returnUrl ?? "")}}">
                  <label for="email">Email</label>
                  <input id="email" name="email" type="email" autocomplete="username" required value="{{html.Encode(email ?? "")}}">
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <label for="two_factor_code">Authenticator code <span class="hint">(if you turned it on)</span></label>
                  <input id="two_factor_code" name="two_factor_code" inputmode="numeric" autocomplete="one-time-code">
                  <label for="tenant">Tenant <span class="hint">(if you belong to several)</span></label>
                  <input id="tenant" name="tenant" value="{{html.Encode(tenant ?? "")}}">
                  <button type="submit">Sign in</button>
                </form>
              </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
