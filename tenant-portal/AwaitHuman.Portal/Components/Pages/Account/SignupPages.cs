using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Onboarding;
using AwaitHuman.Core.Onboarding.Signup;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Portal.Components.Pages.Account;

/// <summary>
/// A company's self-serve sign-up in the browser: the form, the email verification, then the
/// console. Static pages served by endpoints like the other account pages; each POST runs the same
/// use case as <c>/v1/signup</c> and <c>/v1/signup/verify</c>, under the same per-address rate limit.
/// </summary>
public static class SignupPages
{
    public const string SignUpPath = "/signup";
    public const string VerifyPath = "/signup/verify";

    public static IEndpointRouteBuilder MapSignupPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet(SignUpPath, () => AccountPages.Page<SignUpPage>(new { }));
        pages.MapPost(SignUpPath, SignUpAsync).RequireRateLimiting(SignupEndpoints.RateLimitPolicy)
            .WithMetadata(new RateLimitedPage(async (context, seconds) =>
            {
                var form = await context.Request.ReadFormAsync();
                return AccountPages.Page<SignUpPage>(new
                {
                    Name = form["name"].ToString(), Slug = form["slug"].ToString(), OwnerName = form["owner_name"].ToString(), Email = form["email"].ToString(),
                    Problem = TooMany(seconds),
                }, StatusCodes.Status429TooManyRequests);
            }));
        pages.MapGet(VerifyPath, (string? email, string? code, HttpContext context) =>
            AccountPages.Page<VerifySignupPage>(new { Email = email, Code = code, SandboxOutbox = SandboxOutboxOf(context, email) }));
        pages.MapPost(VerifyPath, VerifyAsync).RequireRateLimiting(SignupEndpoints.RateLimitPolicy)
            .WithMetadata(new RateLimitedPage(async (context, seconds) =>
            {
                var form = await context.Request.ReadFormAsync();
                return AccountPages.Page<VerifySignupPage>(new { Email = form["email"].ToString(), Code = form["code"].ToString(), Problem = TooMany(seconds) },
                    StatusCodes.Status429TooManyRequests);
            }));
        return app;
    }

    static async Task<IResult> SignUpAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] TenantOnboarding onboarding, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("sign-up");
        var form = await context.Request.ReadFormAsync(ct);
        string? Field(string name) => string.IsNullOrWhiteSpace(form[name]) ? null : form[name].ToString().Trim();

        var request = new SignUp(Field("name"), Field("slug")?.ToLowerInvariant(), Field("email"), form["password"].ToString(), Field("owner_name"));
        var outcome = await SignupUseCases.SignUpAsync(request, onboarding, context, ct);
        if (outcome.Succeeded)
            return AccountPages.Page<VerifySignupPage>(new
            {
                Email = outcome.Value.OwnerEmail,
                Notice = $"We sent a verification code to {outcome.Value.OwnerEmail}. Enter it here to activate {outcome.Value.Name}.",
                SandboxOutbox = SandboxOutboxOf(context, outcome.Value.OwnerEmail),
            });

        return AccountPages.Page<SignUpPage>(new
        {
            request.Name, request.Slug, request.OwnerName, request.Email,
            Errors = ErrorsOf(outcome.Failure), Problem = ProblemOf(outcome.Failure),
        }, StatusCodes.Status400BadRequest);
    }

    static async Task<IResult> VerifyAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] SignInManager<Person> signIn, [FromServices] AccountsDbContext db, [FromServices] IDocumentStore store,
        [FromServices] PublicUrls urls, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("verification");
        var form = await context.Request.ReadFormAsync(ct);
        var email = form["email"].ToString().Trim();
        var code = form["code"].ToString().Trim();

        var outcome = await SignupUseCases.VerifyAsync(new VerifySignup(email, code), people, db, store, clock, context, ct);
        if (!outcome.Succeeded)
            return AccountPages.Page<VerifySignupPage>(new
            {
                Email = email, Code = code, Errors = ErrorsOf(outcome.Failure), Problem = ProblemOf(outcome.Failure),
                SandboxOutbox = SandboxOutboxOf(context, email),
            }, StatusCodes.Status400BadRequest);

        // The mailed code proved the address, as a password would: the owner goes on signed in.
        var verified = outcome.Value;
        context.Response.Headers.CacheControl = "no-store";
        var session = await SignInUseCases.StartSessionAsync(verified.Owner, verified.Answer.Slug, signIn, store, ct);
        if (!session.Succeeded) return Results.LocalRedirect(AccountPages.SignInPath);
        return AccountPages.Page<SignupDonePage>(new
        {
            TenantName = verified.Answer.Name, verified.Answer.Slug, ApiKey = verified.Answer.ApiKey.Key, BaseUrl = urls.BaseUrl.ToString(),
        });
    }

    /// <summary>The fields' own messages go under the fields; a conflict names its field too.</summary>
    static Dictionary<string, string[]>? ErrorsOf(Failure failure) => failure switch
    {
        Failure.Invalid invalid => new(invalid.Errors),
        Failure.Conflict { Field: { } field } conflict => new() { [field] = [conflict.Message] },
        _ => null,
    };

    static string ProblemOf(Failure failure) => failure switch
    {
        Failure.Invalid or Failure.Conflict { Field: not null } => "Please correct the fields marked below.",
        _ => failure.Message,
    };

    static string TooMany(int seconds) =>
        $"Too many attempts from your network. Please wait {(seconds >= 120 ? $"{seconds / 60} minutes" : $"{seconds} seconds")} and try again.";

    /// <summary>The outbox, when this server has no mail provider and opens its sandbox outbox (the embedded default).</summary>
    static string? SandboxOutboxOf(HttpContext context, string? email)
    {
        var services = context.RequestServices;
        if (string.IsNullOrWhiteSpace(email) || services.GetService<IAccountMailer>() is not SandboxAccountMailer) return null;
        return services.GetRequiredService<IConfiguration>().GetValue<bool>(SandboxEmailEndpoints.ExposeSetting) ? $"/sandbox/emails?to={Uri.EscapeDataString(email.Trim())}" : null;
    }
}
