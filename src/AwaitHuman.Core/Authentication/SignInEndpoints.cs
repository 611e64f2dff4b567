using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
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

/// <summary>Why a sign-in was refused, beyond fields that break the rules; each has its own HTTP answer.</summary>
public abstract record SignInFailure(string Message) : Failure(Message)
{
    /// <summary>No such person or the wrong password: the caller is not told which.</summary>
    public sealed record WrongCredentials() : SignInFailure("The email address or password is wrong.");

    public sealed record EmailNotVerified() : SignInFailure("Verify your email address before signing in.");

    public sealed record TwoFactorCodeRequired() : SignInFailure("This account uses an authenticator app: send its current code (or a recovery code) as two_factor_code.");

    /// <summary>Too many wrong passwords or codes: the account takes none for a while.</summary>
    public sealed record LockedOut(int RetryAfterSeconds)
        : SignInFailure($"Too many failed sign-ins. Try again in {RetryAfterSeconds} seconds, or reset your password.");

    public sealed record NoTenant() : SignInFailure("You are not a member of any active tenant.");

    /// <summary>The tenant requires single sign-on, and this person is not its break-glass owner.</summary>
    public sealed record SingleSignOnRequired(string Tenant)
        : SignInFailure($"{Tenant} signs in with single sign-on: use 'Continue with single sign-on' on the sign-in page, or open {SsoPaths.Start(Tenant)}.");
}

/// <summary>Password (and TOTP) sign-in for people: sets the session cookie the portal and the OAuth authorize step use.</summary>
public static class SignInEndpoints
{
    public const string RateLimitPolicy = "sign-in";

    [WolverinePost("/v1/auth/login", OperationId = "SignIn")]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags("Accounts")]
    [EndpointSummary("Signs a person in to one of their tenants; five wrong passwords lock the account for 15 minutes")]
    public static async Task<IResult> SignIn(
        SignIn request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct) =>
        Answer(await SignInUseCases.SignInAsync(request, people, signIn, store, clock, context, ct), context);

    [WolverinePost("/v1/auth/switch-tenant", OperationId = "SwitchTenant")]
    [Authorize(Policy = Policies.TenantCaller)]
    [Tags("Accounts")]
    [EndpointSummary("Moves a browser session to another tenant of the signed-in person; tokens stay in their own tenant")]
    public static async Task<IResult> SwitchTenant(
        SwitchTenant request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, HttpContext context, CancellationToken ct) =>
        Answer(await SignInUseCases.SwitchTenantAsync(request, people, signIn, store, context, ct), context);

    [WolverinePost("/v1/auth/logout", OperationId = "SignOut")]
    [Tags("Accounts")]
    [EndpointSummary("Ends the person's sessions, everywhere: a copy of the cookie stops working too")]
    public static async Task<IResult> SignOut(SignInManager<Person> signIn, UserManager<Person> people, HttpContext context)
    {
        await SignInUseCases.EndSessionsAsync(signIn, people, context);
        return Results.NoContent();
    }

    static IResult Answer(Outcome<SignedIn> outcome, HttpContext context) => outcome.Succeeded ? Results.Ok(outcome.Value) : outcome.Failure switch
    {
        SignInFailure.WrongCredentials wrong => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: wrong.Message),
        SignInFailure.EmailNotVerified unverified => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Email not verified", detail: unverified.Message),
        SignInFailure.TwoFactorCodeRequired required => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Two-factor code required",
            detail: required.Message, extensions: new Dictionary<string, object?> { ["two_factor_required"] = true }),
        SignInFailure.LockedOut locked => LockedOut(locked, context),
        SignInFailure.NoTenant none => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No tenant", detail: none.Message),
        SignInFailure.SingleSignOnRequired sso => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Single sign-on required", detail: sso.Message,
            extensions: new Dictionary<string, object?> { ["sso_url"] = SsoPaths.Start(sso.Tenant) }),
        var failure => Problems.Of(failure),
    };

    /// <summary>429 with Retry-After: the account is locked for a while after too many wrong passwords.</summary>
    static IResult LockedOut(SignInFailure.LockedOut locked, HttpContext context)
    {
        context.Response.Headers.RetryAfter = locked.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Account locked", detail: locked.Message);
    }
}

/// <summary>
/// Signing in, switching tenants and signing out, for the API and the portal's account pages alike.
/// They take the request's <see cref="HttpContext"/>: the session cookie goes to its response, and a
/// lockout records its source address.
/// </summary>
public static class SignInUseCases
{
    public static async Task<Outcome<SignedIn>> SignInAsync(
        SignIn request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("email", string.IsNullOrWhiteSpace(request.Email) ? "The email address is required." : null)
            .Check("password", string.IsNullOrEmpty(request.Password) ? "The password is required." : null);
        if (errors.Any) return errors.ToFailure();

        var person = await people.FindByEmailAsync(request.Email!.Trim());
        if (person is null) return new SignInFailure.WrongCredentials();
        if (await people.IsLockedOutAsync(person)) return LockedOut(person, clock);
        // Identity would say "not allowed" before checking the password; only the owner of the password learns that.
        if (!person.EmailConfirmed && !await people.CheckPasswordAsync(person, request.Password!)) return new SignInFailure.WrongCredentials();

        var checkedPassword = await signIn.CheckPasswordSignInAsync(person, request.Password!, lockoutOnFailure: true);
        if (checkedPassword.IsLockedOut)
        {
            await RecordLockoutAsync(store, person, request.Tenant, context, clock, ct);
            return LockedOut(person, clock);
        }
        if (checkedPassword.IsNotAllowed) return new SignInFailure.EmailNotVerified();
        if (!checkedPassword.Succeeded) return new SignInFailure.WrongCredentials();

        if (person.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(request.TwoFactorCode)) return new SignInFailure.TwoFactorCodeRequired();
            var code = request.TwoFactorCode.Replace(" ", "");
            // A recovery code (given when two-factor was turned on) stands in for the app's code, once.
            if (!await people.VerifyTwoFactorTokenAsync(person, TokenOptions.DefaultAuthenticatorProvider, code)
                && !(await people.RedeemTwoFactorRecoveryCodeAsync(person, code.ToUpperInvariant())).Succeeded)
            {
                await people.AccessFailedAsync(person);
                if (await people.IsLockedOutAsync(person))
                {
                    await RecordLockoutAsync(store, person, request.Tenant, context, clock, ct);
                    return LockedOut(person, clock);
                }
                return Failure.Invalid.Of("two_factor_code", "The code is not valid; use the current code of your authenticator app or one of your recovery codes.");
            }
        }

        return await StartSessionAsync(person, request.Tenant, signIn, store, ct);
    }

    public static async Task<Outcome<SignedIn>> SwitchTenantAsync(
        SwitchTenant request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, HttpContext context, CancellationToken ct)
    {
        if (Caller.From(context.User) is not { CredentialType: CredentialTypes.Session, PersonId: { } personId })
            return new Failure.Forbidden("Only a signed-in session switches tenants: a token belongs to the tenant it was made in.");
        if (string.IsNullOrWhiteSpace(request.Tenant)) return Failure.Invalid.Of("tenant", "The tenant's slug is required.");
        if (await people.FindByIdAsync(personId.ToString()) is not { } person)
            return new Failure.Forbidden("The signed-in person no longer exists.");
        return await StartSessionAsync(person, request.Tenant.Trim(), signIn, store, ct);
    }

    /// <summary>
    /// Issues the session cookie for one of the person's active tenants, the named one or their only
    /// one: sign-in and the tenant switch answer alike, a tenant they are not in is invalid, naming theirs.
    /// The caller has proven who the person is (a password, a session, a mailed verification code).
    /// </summary>
    public static async Task<Outcome<SignedIn>> StartSessionAsync(Person person, string? tenant, SignInManager<Person> signIn, IDocumentStore store, CancellationToken ct)
    {
        var choices = await TenantsOfAsync(store, person.Id, ct);
        if (choices.Count == 0) return new SignInFailure.NoTenant();
        var chosen = tenant is null ? (choices.Count == 1 ? choices[0] : default)
            : choices.FirstOrDefault(choice => choice.Tenant.IsNamed(tenant));
        if (chosen.Tenant is null)
            return Failure.Invalid.Of("tenant", $"Choose a tenant: {string.Join(", ", choices.Select(choice => choice.Tenant.Slug))}.");

        // Where the tenant requires single sign-on, a password (or a session of another tenant) is not enough.
        if (await SingleSignOnUseCases.RequiresSsoAsync(store, chosen.Tenant.TenantId, person.Email!, chosen.Membership.Role, ct))
            return new SignInFailure.SingleSignOnRequired(chosen.Tenant.Slug);

        await signIn.SignInWithClaimsAsync(person, isPersistent: false, [new Claim(CallerClaims.TenantId, chosen.Tenant.TenantId)]);
        return new SignedIn(person.Id, person.Email!, chosen.Tenant.Slug, chosen.Membership.Role,
            choices.Select(choice => TenantChoice.Of(choice.Tenant, choice.Membership)).ToArray());
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

    /// <summary>
    /// A lockout is a security event in every tenant the person belongs to; the address the attempts
    /// came from only in the tenant they named (or the person's one tenant).
    /// </summary>
    static async Task RecordLockoutAsync(IDocumentStore store, Person person, string? tenantSlug, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var by = new Actor("sign_in", null, person.Email!, Actor.SourceIpOf(context));
        string? named = null;
        if (!string.IsNullOrWhiteSpace(tenantSlug))
            await using (var query = store.QuerySession())
                named = (await query.FindBySlugAcrossTenantsAsync(tenantSlug.Trim(), ct))?.TenantId;
        await MemberRegistry.RecordForPersonAsync(store, person.Id, named ?? (tenantSlug is null ? null : ""), by,
            (membership, seenBy) => new MemberLockedOut(membership.Id, person.Id, person.Email!, 5, person.LockoutEnd ?? now, seenBy, now), ct);
    }

    static SignInFailure.LockedOut LockedOut(Person person, TimeProvider clock) =>
        new(Math.Max(1, (int)Math.Ceiling(((person.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow()).TotalSeconds)));
}
