using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace AwaitHuman.Core.Authentication;

public sealed record SignIn(string? Email, string? Password, string? TwoFactorCode, string? Tenant);

/// <param name="Tenant">The slug of one of the signed-in person's tenants.</param>
public sealed record SwitchTenant(string? Tenant);

public sealed record TenantChoice(string Slug, string Name, string Role)
{
    public static TenantChoice Of(Tenant tenant, Membership membership) => new(tenant.Slug, tenant.Name, membership.Role);
}

public sealed record SignedIn(Guid PersonId, string Email, string Tenant, string Role, TenantChoice[] Tenants);

/// <summary>Password (and TOTP) sign-in for people: sets the session cookie the portal and the OAuth authorize step use.</summary>
public static class SignInEndpoints
{
    public const string RateLimitPolicy = "sign-in";

    [WolverinePost("/v1/auth/login", OperationId = "SignIn")]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags("Accounts")]
    [EndpointSummary("Signs a person in to one of their tenants; five wrong passwords lock the account for 15 minutes")]
    public static async Task<IResult> SignIn(
        SignIn request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("email", string.IsNullOrWhiteSpace(request.Email) ? "The email address is required." : null)
            .Check("password", string.IsNullOrEmpty(request.Password) ? "The password is required." : null);
        if (errors.Any) return errors.ToResult();

        var person = await people.FindByEmailAsync(request.Email!.Trim());
        if (person is null) return WrongCredentials();
        if (await people.IsLockedOutAsync(person)) return LockedOut(person, clock);
        // Identity would say "not allowed" before checking the password; only the owner of the password learns that.
        if (!person.EmailConfirmed && !await people.CheckPasswordAsync(person, request.Password!)) return WrongCredentials();

        var checkedPassword = await signIn.CheckPasswordSignInAsync(person, request.Password!, lockoutOnFailure: true);
        if (checkedPassword.IsLockedOut)
        {
            await RecordLockoutAsync(store, person, context, clock, ct);
            return LockedOut(person, clock);
        }
        if (checkedPassword.IsNotAllowed)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Email not verified", detail: "Verify your email address before signing in.");
        if (!checkedPassword.Succeeded) return WrongCredentials();

        if (person.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(request.TwoFactorCode))
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Two-factor code required",
                    detail: "This account uses an authenticator app: send its current code as two_factor_code.",
                    extensions: new Dictionary<string, object?> { ["two_factor_required"] = true });
            if (!await people.VerifyTwoFactorTokenAsync(person, TokenOptions.DefaultAuthenticatorProvider, request.TwoFactorCode.Replace(" ", "")))
            {
                await people.AccessFailedAsync(person);
                if (await people.IsLockedOutAsync(person))
                {
                    await RecordLockoutAsync(store, person, context, clock, ct);
                    return LockedOut(person, clock);
                }
                return Problems.Invalid("two_factor_code", "The code is not valid; use the current code of your authenticator app.");
            }
        }

        return await StartSessionAsync(person, request.Tenant, signIn, store, ct);
    }

    [WolverinePost("/v1/auth/switch-tenant", OperationId = "SwitchTenant")]
    [Authorize(Policy = Policies.TenantCaller)]
    [Tags("Accounts")]
    [EndpointSummary("Moves a browser session to another tenant of the signed-in person; tokens stay in their own tenant")]
    public static async Task<IResult> SwitchTenant(
        SwitchTenant request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, HttpContext context, CancellationToken ct)
    {
        if (Caller.From(context.User) is not { CredentialType: CredentialTypes.Session, PersonId: { } personId })
            return Problems.Forbidden("Only a signed-in session switches tenants: a token belongs to the tenant it was made in.");
        if (string.IsNullOrWhiteSpace(request.Tenant)) return Problems.Invalid("tenant", "The tenant's slug is required.");
        if (await people.FindByIdAsync(personId.ToString()) is not { } person)
            return Problems.Forbidden("The signed-in person no longer exists.");
        return await StartSessionAsync(person, request.Tenant.Trim(), signIn, store, ct);
    }

    /// <summary>
    /// Issues the session cookie for one of the person's active tenants, the named one or their only
    /// one: sign-in and the tenant switch answer alike, a tenant they are not in is a 400 naming theirs.
    /// </summary>
    static async Task<IResult> StartSessionAsync(Person person, string? tenant, SignInManager<Person> signIn, IDocumentStore store, CancellationToken ct)
    {
        var choices = await TenantsOfAsync(store, person.Id, ct);
        if (choices.Count == 0)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No tenant", detail: "You are not a member of any active tenant.");
        var chosen = tenant is null ? (choices.Count == 1 ? choices[0] : default)
            : choices.FirstOrDefault(choice => choice.Tenant.Slug == tenant);
        if (chosen.Tenant is null)
            return Problems.Invalid("tenant", $"Choose a tenant: {string.Join(", ", choices.Select(choice => choice.Tenant.Slug))}.");

        await signIn.SignInWithClaimsAsync(person, isPersistent: false, [new Claim(CallerClaims.TenantId, chosen.Tenant.TenantId)]);
        return Results.Ok(new SignedIn(person.Id, person.Email!, chosen.Tenant.Slug, chosen.Membership.Role,
            choices.Select(choice => TenantChoice.Of(choice.Tenant, choice.Membership)).ToArray()));
    }

    [WolverinePost("/v1/auth/logout", OperationId = "SignOut")]
    [Tags("Accounts")]
    [EndpointSummary("Ends the person's sessions, everywhere: a copy of the cookie stops working too")]
    public static async Task<IResult> SignOut(SignInManager<Person> signIn, UserManager<Person> people, HttpContext context)
    {
        await EndSessionsAsync(signIn, people, context);
        return Results.NoContent();
    }

    /// <summary>Signs the person out of this browser and ends every copy of their session cookie.</summary>
    public static async Task EndSessionsAsync(SignInManager<Person> signIn, UserManager<Person> people, HttpContext context)
    {
        // The cookie is self-contained; a new security stamp is what makes every copy of it invalid.
        if (Caller.From(context.User) is { CredentialType: CredentialTypes.Session, PersonId: { } personId }
            && await people.FindByIdAsync(personId.ToString()) is { } person)
            await people.UpdateSecurityStampAsync(person);
        await signIn.SignOutAsync();
    }

    /// <summary>The active tenants a person may sign in to, by slug: sign-in, the tenant switch and the console's switcher.</summary>
    public static async Task<List<(Tenant Tenant, Membership Membership)>> TenantsOfAsync(IDocumentStore store, Guid personId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return (await MemberRegistry.TenantsOfPersonAsync(query, personId, ct))
            .Where(pair => pair.Tenant.Status == TenantStatus.Active)
            .OrderBy(pair => pair.Tenant.Slug)
            .ToList();
    }

    /// <summary>A lockout is a security event in every tenant the person belongs to.</summary>
    static Task RecordLockoutAsync(IDocumentStore store, Person person, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var by = new Actor("sign_in", null, person.Email!, Actor.SourceIpOf(context));
        return MemberRegistry.RecordForPersonAsync(store, person.Id,
            membership => new MemberLockedOut(membership.Id, person.Id, person.Email!, 5, person.LockoutEnd ?? now, by, now), ct);
    }

    static IResult WrongCredentials() =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The email address or password is wrong.");

    static IResult LockedOut(Person person, TimeProvider clock)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(((person.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow()).TotalSeconds));
        return new LockedOutResult(seconds);
    }

    /// <summary>What went wrong with a sign-in, in one sentence for a person (the sign-in page shows it).</summary>
    public static string Explain(IResult failure) => failure switch
    {
        LockedOutResult locked => locked.Detail,
        ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails validation } => string.Join(" ", validation.Errors.SelectMany(error => error.Value)),
        ProblemHttpResult problem => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "Sign-in failed.",
        _ => "Sign-in failed.",
    };

    /// <summary>429 with Retry-After: the account is locked for a while after too many wrong passwords.</summary>
    sealed class LockedOutResult(int retryAfterSeconds) : IResult
    {
        public string Detail => $"Too many failed sign-ins. Try again in {retryAfterSeconds} seconds, or reset your password.";

        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Account locked", detail: Detail).ExecuteAsync(context);
        }
    }
}
