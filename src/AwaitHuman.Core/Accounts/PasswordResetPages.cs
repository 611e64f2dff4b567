using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.AccountMailing;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;

namespace AwaitHuman.Core.Accounts;

/// <summary>The password reset for browsers: plain forms over the same two steps as <see cref="PasswordResetEndpoints"/>.</summary>
public static class PasswordResetPages
{
    public const string ForgotPath = "/account/forgot-password";
    public const string ResetPath = "/account/reset-password";

    [WolverineGet(ForgotPath, OperationId = "ForgotPasswordPage")]
    [ExcludeFromDescription]
    public static IResult ShowForgot(HttpContext context, IAntiforgery antiforgery) =>
        ForgotPage(context, antiforgery, email: null, problem: null, StatusCodes.Status200OK);

    [WolverinePost(ForgotPath, OperationId = "ForgotPasswordWithPage")]
    [ExcludeFromDescription]
    [EnableRateLimiting(SignInEndpoints.RateLimitPolicy)]
    public static async Task<IResult> SubmitForgot(
        HttpContext context, IAntiforgery antiforgery, UserManager<Person> people, IDocumentStore store, IAccountMailer mailer, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPage.ExpiredForm("password reset");
        var form = await context.Request.ReadFormAsync(ct);
        var email = form["email"].ToString().Trim();

        var result = await PasswordResetEndpoints.Request(new RequestPasswordReset(email), people, store, mailer, ct);
        if (result is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status202Accepted })
            return ForgotPage(context, antiforgery, email, SignInEndpoints.Explain(result), StatusCodes.Status400BadRequest);
        // The same answer whether or not the address is known, as the API gives.
        return ResetPage(context, antiforgery, email, code: null,
            "If that address belongs to an account, we mailed it a code. Enter it here with your new password.", problem: null, StatusCodes.Status200OK);
    }

    [WolverineGet(ResetPath, OperationId = "ResetPasswordPage")]
    [ExcludeFromDescription]
    public static IResult ShowReset(string? email, string? code, HttpContext context, IAntiforgery antiforgery) =>
        ResetPage(context, antiforgery, email, code, notice: null, problem: null, StatusCodes.Status200OK);

    [WolverinePost(ResetPath, OperationId = "ResetPasswordWithPage")]
    [ExcludeFromDescription]
    [EnableRateLimiting(SignInEndpoints.RateLimitPolicy)]
    public static async Task<IResult> SubmitReset(
        HttpContext context, IAntiforgery antiforgery, UserManager<Person> people, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPage.ExpiredForm("password reset");
        var form = await context.Request.ReadFormAsync(ct);
        var email = form["email"].ToString().Trim();
        var code = form["code"].ToString().Trim();

        var result = await PasswordResetEndpoints.Confirm(new ResetPassword(email, code, form["new_password"]), people, store, clock, context, ct);
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status204NoContent })
            return AccountPage.Render("Password changed", "Password changed", $"""
                {AccountPage.Notice("Your new password is set.")}
                <p><a href="{SignInPage.Path}">Sign in</a></p>
                """);
        return ResetPage(context, antiforgery, email, code, notice: null, SignInEndpoints.Explain(result), StatusCodes.Status400BadRequest);
    }

    static IResult ForgotPage(HttpContext context, IAntiforgery antiforgery, string? email, string? problem, int status) =>
        AccountPage.Render("Forgot password", "Reset your password", $$"""
            {{AccountPage.Alert(problem)}}
            <p class="hint">We mail you a code to set a new password with.</p>
            {{AccountPage.FormStart(context, antiforgery, ForgotPath)}}
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required value="{{AccountPage.Encode(email)}}">
              <button type="submit">Mail me a code</button>
            </form>
            <p class="hint"><a href="{{SignInPage.Path}}">Back to sign-in</a></p>
            """, status);

    static IResult ResetPage(HttpContext context, IAntiforgery antiforgery, string? email, string? code, string? notice, string? problem, int status) =>
        AccountPage.Render("Set a new password", "Set a new password", $$"""
            {{AccountPage.Notice(notice)}}
            {{AccountPage.Alert(problem)}}
            {{AccountPage.FormStart(context, antiforgery, ResetPath)}}
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required value="{{AccountPage.Encode(email)}}">
              <label for="code">Code from the mail</label>
              <input id="code" name="code" autocomplete="one-time-code" required value="{{AccountPage.Encode(code)}}">
              <label for="new_password">New password</label>
              <input id="new_password" name="new_password" type="password" autocomplete="new-password" required>
              <button type="submit">Set password</button>
            </form>
            """, status);
}
