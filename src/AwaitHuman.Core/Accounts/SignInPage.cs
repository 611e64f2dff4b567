using AwaitHuman.Core.Authentication;
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
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPage.ExpiredForm("sign-in");

        var form = await context.Request.ReadFormAsync(ct);
        string? Field(string name) => string.IsNullOrWhiteSpace(form[name]) ? null : form[name].ToString();
        var returnUrl = Field("return_url");

        var result = await SignInEndpoints.SignIn(
            new SignIn(Field("email"), form["password"].ToString(), Field("two_factor_code"), Field("tenant")), people, signIn, store, clock, context, ct);
        if (result is Ok<SignedIn>)
            return Results.LocalRedirect(AccountPage.LocalOr(returnUrl, "/"));

        return Page(context, antiforgery, returnUrl, Field("email"), Field("tenant"), SignInEndpoints.Explain(result), StatusCodes.Status400BadRequest);
    }

    static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? email, string? tenant, string? problem, int status) =>
        AccountPage.Render("Sign in", "Sign in to AwaitHuman", $$"""
            {{AccountPage.Alert(problem)}}
            {{AccountPage.FormStart(context, antiforgery, Path)}}
              <input type="hidden" name="return_url" value="{{AccountPage.Encode(returnUrl)}}">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required value="{{AccountPage.Encode(email)}}">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required>
              <label for="two_factor_code">Authenticator code <span class="hint">(if you turned it on)</span></label>
              <input id="two_factor_code" name="two_factor_code" inputmode="numeric" autocomplete="one-time-code">
              <label for="tenant">Tenant <span class="hint">(if you belong to several)</span></label>
              <input id="tenant" name="tenant" value="{{AccountPage.Encode(tenant)}}">
              <button type="submit">Sign in</button>
            </form>
            <p class="hint"><a href="{{PasswordResetPages.ForgotPath}}">Forgot your password?</a></p>
            """, status);
}
