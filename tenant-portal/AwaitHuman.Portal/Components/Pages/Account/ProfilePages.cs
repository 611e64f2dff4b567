using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Profiles;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using QRCoder;

namespace AwaitHuman.Portal.Components.Pages.Account;

/// <summary>
/// The profile's password and two-factor pages. Static account pages, not parts of the console's
/// circuit: both rotate the person's security stamp, which ends every session, and only a response
/// can hand this browser its fresh cookie. Each POST runs the same use case as the API.
/// </summary>
public static class ProfilePages
{
    public const string PasswordPath = "/account/password";
    public const string TwoFactorPath = "/account/two-factor";
    public const string TwoFactorSetupPath = "/account/two-factor/setup";
    public const string TwoFactorEnablePath = "/account/two-factor/enable";
    public const string TwoFactorDisablePath = "/account/two-factor/disable";

    public static IEndpointRouteBuilder MapProfilePages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet(PasswordPath, (HttpContext context) => SignedIn(context, PasswordPath) ?? AccountPages.Page<ChangePasswordPage>(new { }));
        pages.MapPost(PasswordPath, ChangePasswordAsync);
        pages.MapGet(TwoFactorPath, ShowTwoFactorAsync);
        pages.MapPost(TwoFactorSetupPath, SetUpTwoFactorAsync);
        pages.MapPost(TwoFactorEnablePath, EnableTwoFactorAsync);
        pages.MapPost(TwoFactorDisablePath, DisableTwoFactorAsync);
        return app;
    }

    static async Task<IResult> ChangePasswordAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] ProfileUseCases profiles,
        [FromServices] SignInManager<Person> signIn, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("password");
        if (SignedIn(context, PasswordPath) is { } signInFirst) return signInFirst;
        var form = await context.Request.ReadFormAsync(ct);

        var outcome = await profiles.ChangePasswordAsync(Caller.Of(context).PersonId!.Value,
            new ChangePassword(form["current_password"], form["new_password"]), signIn, context, ct);
        if (outcome.Succeeded) return AccountPages.Page<ChangePasswordPage>(new { Notice = "Your password is changed. Your other sessions have ended." });
        return AccountPages.Page<ChangePasswordPage>(new { Errors = ErrorsOf(outcome.Failure), Problem = ProblemOf(outcome.Failure) }, StatusCodes.Status400BadRequest);
    }

    static async Task<IResult> ShowTwoFactorAsync(HttpContext context, [FromServices] UserManager<Person> people)
    {
        if (SignedIn(context, TwoFactorPath) is { } signInFirst) return signInFirst;
        return await TwoFactorPageAsync(PersonOf(context), people,
            new { Notice = context.Request.Query["turned"] == "off" ? "Two-factor sign-in is off; your password alone signs you in." : null });
    }

    static async Task<IResult> SetUpTwoFactorAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] SignInManager<Person> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("two-factor");
        if (SignedIn(context, TwoFactorPath) is { } signInFirst) return signInFirst;
        var personId = PersonOf(context);
        var outcome = await TwoFactorUseCases.SetUpAsync(people, signIn, context);
        // The new cookie's stamp is what the next request authenticates with; its forms need tokens made then.
        if (outcome.Succeeded) return Results.LocalRedirect(TwoFactorPath);
        return await TwoFactorPageAsync(personId, people, new { Problem = outcome.Failure.Message }, StatusCodes.Status400BadRequest);
    }

    static async Task<IResult> EnableTwoFactorAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] SignInManager<Person> signIn, [FromServices] IDocumentStore store, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("two-factor");
        if (SignedIn(context, TwoFactorPath) is { } signInFirst) return signInFirst;
        var form = await context.Request.ReadFormAsync(ct);

        var personId = PersonOf(context);
        var outcome = await TwoFactorUseCases.EnableAsync(new EnableTwoFactor(form["code"]), people, signIn, store, clock, context, ct);
        if (!outcome.Succeeded)
            return await TwoFactorPageAsync(personId, people, new { Errors = ErrorsOf(outcome.Failure), Problem = ProblemOf(outcome.Failure) }, StatusCodes.Status400BadRequest);
        // Shown this once and never stored in the clear: the page must not be kept by a cache.
        context.Response.Headers.CacheControl = "no-store";
        return await TwoFactorPageAsync(personId, people, new { RecoveryCodes = outcome.Value.RecoveryCodes });
    }

    static async Task<IResult> DisableTwoFactorAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] UserManager<Person> people,
        [FromServices] SignInManager<Person> signIn, [FromServices] IDocumentStore store, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("two-factor");
        if (SignedIn(context, TwoFactorPath) is { } signInFirst) return signInFirst;
        var outcome = await TwoFactorUseCases.DisableAsync(people, signIn, store, clock, context, ct);
        if (outcome.Succeeded) return Results.LocalRedirect($"{TwoFactorPath}?turned=off");
        return await TwoFactorPageAsync(PersonOf(context), people, new { Problem = outcome.Failure.Message }, StatusCodes.Status400BadRequest);
    }

    /// <summary>The two-factor page as the person's state now is, with a pending setup's QR code.</summary>
    /// <remarks>
    /// Takes the person's id: signing the session in again replaces the request's principal. A page
    /// rendered after that carries no form (its antiforgery tokens would be bound to the old stamp).
    /// </remarks>
    static async Task<IResult> TwoFactorPageAsync(Guid personId, UserManager<Person> people, object extra, int status = StatusCodes.Status200OK)
    {
        var person = (await people.FindByIdAsync(personId.ToString()))!;
        var setup = await TwoFactorUseCases.PendingSetupAsync(people, person);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Enabled"] = person.TwoFactorEnabled,
            ["RecoveryCodesLeft"] = person.TwoFactorEnabled ? await people.CountRecoveryCodesAsync(person) : 0,
            ["Setup"] = setup,
            ["QrCode"] = setup is null ? null : QrCodePng(setup.AuthenticatorUri),
        };
        foreach (var property in extra.GetType().GetProperties()) parameters[property.Name] = property.GetValue(extra);
        return new RazorComponentResult<TwoFactorPage>(parameters) { StatusCode = status };
    }

    /// <summary>The authenticator URI as a PNG data URI, for the phone's camera.</summary>
    static string QrCodePng(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }

    /// <summary>Null for a signed-in person; otherwise the sign-in page, which comes back here.</summary>
    static IResult? SignedIn(HttpContext context, string returnTo) =>
        Caller.From(context.User) is { CredentialType: CredentialTypes.Session, PersonId: not null }
            ? null
            : Results.LocalRedirect($"{AccountPages.SignInPath}?ReturnUrl={Uri.EscapeDataString(returnTo)}");

    static Guid PersonOf(HttpContext context) => Caller.Of(context).PersonId!.Value;

    static IReadOnlyDictionary<string, string[]>? ErrorsOf(Failure failure) => failure is Failure.Invalid invalid ? invalid.Errors : null;

    static string? ProblemOf(Failure failure) => failure is Failure.Invalid ? null : failure.Message;
}
