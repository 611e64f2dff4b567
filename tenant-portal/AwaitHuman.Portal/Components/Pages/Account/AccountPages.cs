using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AwaitHuman.Portal.Components.Pages.Account;

/// <summary>
/// The account pages (sign-in, password reset, tenant switch, sign-out) and the endpoints that answer
/// them. The pages are Razor components rendered statically; endpoints rather than routed pages
/// serve them because their forms post plain fields to fixed addresses (no Blazor form handler), a
/// refused form comes back as the page with a 400, and an expired form as a problem document. Each
/// POST runs the same use case as the API.
/// </summary>
public static class AccountPages
{
    public const string SignInPath = "/account/login";
    public const string ForgotPasswordPath = "/account/forgot-password";
    public const string ResetPasswordPath = "/account/reset-password";
    public const string SwitchTenantPath = "/account/switch-tenant";
    public const string SignOutPath = "/account/logout";

    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription();
        // ?sso= carries why a single sign-on was refused, as a code (SsoRefusals).
        pages.MapGet(SignInPath, (string? returnUrl, string? sso) => Page<SignInPage>(new { ReturnUrl = returnUrl, Problem = SsoRefusals.Describe(sso) }));
        pages.MapPost(SignInPath, SignInAsync).RequireRateLimiting(SignInEndpoints.RateLimitPolicy);
        pages.MapGet(ForgotPasswordPath, () => Page<ForgotPasswordPage>(new { }));
        pages.MapPost(ForgotPasswordPath, RequestResetAsync).RequireRateLimiting(SignInEndpoints.RateLimitPolicy);
        pages.MapGet(ResetPasswordPath, (string? email, string? code) => Page<ResetPasswordPage>(new { Email = email, Code = code }));
        pages.MapPost(ResetPasswordPath, ResetAsync).RequireRateLimiting(SignInEndpoints.RateLimitPolicy);
        pages.MapPost(SwitchTenantPath, SwitchTenantAsync);
        pages.MapPost(SignOutPath, SignOutAsync);
        return app;
    }

    static async Task<IResult> SignInAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] SignInManager<Person> signIn, [FromServices] IDocumentStore store, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return ExpiredForm("sign-in");
        var form = await context.Request.ReadFormAsync(ct);
        string? Field(string name) => string.IsNullOrWhiteSpace(form[name]) ? null : form[name].ToString();
        var returnUrl = Field("return_url");

        var outcome = await SignInUseCases.SignInAsync(
            new SignIn(Field("email"), form["password"].ToString(), Field("two_factor_code"), Field("tenant")), people, signIn, store, clock, context, ct);
        if (outcome.Succeeded) return Results.LocalRedirect(LocalOr(returnUrl, "/"));

        return Page<SignInPage>(new { ReturnUrl = returnUrl, Email = Field("email"), Tenant = Field("tenant"), Problem = Explain(outcome.Failure) },
            StatusCodes.Status400BadRequest);
    }

    static async Task<IResult> RequestResetAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] IDocumentStore store, [FromServices] IAccountMailer mailer, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return ExpiredForm("password reset");
        var form = await context.Request.ReadFormAsync(ct);
        var email = form["email"].ToString().Trim();

        var outcome = await PasswordResetUseCases.RequestAsync(new RequestPasswordReset(email), people, store, mailer, ct);
        if (!outcome.Succeeded)
            return Page<ForgotPasswordPage>(new { Email = email, Problem = Explain(outcome.Failure) }, StatusCodes.Status400BadRequest);
        // The same answer whether or not the address is known, as the API gives.
        return Page<ResetPasswordPage>(new
        {
            Email = email,
            Notice = "If that address belongs to an account, we mailed it a code. Enter it here with your new password.",
        });
    }

    static async Task<IResult> ResetAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] IDocumentStore store, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return ExpiredForm("password reset");
        var form = await context.Request.ReadFormAsync(ct);
        var email = form["email"].ToString().Trim();
        var code = form["code"].ToString().Trim();

        var outcome = await PasswordResetUseCases.ConfirmAsync(new ResetPassword(email, code, form["new_password"]), people, store, clock, context, ct);
        if (outcome.Succeeded) return Page<PasswordChangedPage>(new { });
        return Page<ResetPasswordPage>(new { Email = email, Code = code, Problem = Explain(outcome.Failure) }, StatusCodes.Status400BadRequest);
    }

    /// <summary>The console's tenant switcher: the same switch as <c>/v1/auth/switch-tenant</c>, then back to where it was.</summary>
    static async Task<IResult> SwitchTenantAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] SignInManager<Person> signIn, [FromServices] IDocumentStore store, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return ExpiredForm("previous");
        var form = await context.Request.ReadFormAsync(ct);
        var returnUrl = LocalOr(form["return_url"], "/");
        if (context.User.Identity?.IsAuthenticated != true)
            return Results.LocalRedirect($"{SignInPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

        var outcome = await SignInUseCases.SwitchTenantAsync(new SwitchTenant(form["tenant"]), people, signIn, store, context, ct);
        if (outcome.Succeeded) return Results.LocalRedirect(returnUrl);
        return Page<SwitchTenantRefusedPage>(new { Problem = Explain(outcome.Failure), ReturnUrl = returnUrl }, StatusCodes.Status400BadRequest);
    }

    /// <summary>The console's sign-out button: the same as <c>/v1/auth/logout</c>, then to the sign-in page.</summary>
    static async Task<IResult> SignOutAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] SignInManager<Person> signIn,
        [FromServices] UserManager<Person> people)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return ExpiredForm("previous");
        await SignInUseCases.EndSessionsAsync(signIn, people, context);
        return Results.LocalRedirect(SignInPath);
    }

    /// <summary>Why the form was refused, in one sentence for a person: the fields' messages, or the failure's.</summary>
    static string Explain(Failure failure) => failure switch
    {
        Failure.Invalid invalid => string.Join(" ", invalid.Errors.SelectMany(error => error.Value)),
        SignInFailure.TwoFactorCodeRequired => "Your account uses an authenticator app: enter its current code, or one of your recovery codes, with your password.",
        _ => failure.Message,
    };

    /// <summary>A page rendered statically with <paramref name="status"/>: every account, sign-up and profile page's answer.</summary>
    internal static RazorComponentResult<TPage> Page<TPage>(object parameters, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new(parameters) { StatusCode = status };

    /// <summary>Only paths on this server: an open redirect would hand the person to anyone's page.</summary>
    static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    static string LocalOr(string? url, string fallback) => IsLocal(url) ? url! : fallback;

    /// <summary>A form that failed on its antiforgery token: the page was open too long or came from elsewhere.</summary>
    public static IResult ExpiredForm(string page) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Expired form", detail: $"The form has expired; open the {page} page again.");
}
