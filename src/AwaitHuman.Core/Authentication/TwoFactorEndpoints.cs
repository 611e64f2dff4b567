using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Wolverine.Http;

namespace AwaitHuman.Core.Authentication;

public sealed record TwoFactorSetup(string SharedKey, string AuthenticatorUri);

public sealed record EnableTwoFactor(string? Code);

/// <param name="RecoveryCodes">Given once, when two-factor sign-in is turned on: each signs in once instead of a code.</param>
public sealed record TwoFactorStatus(bool Enabled, string[]? RecoveryCodes = null);

/// <summary>TOTP (authenticator app) two-factor sign-in, with Identity's authenticator token provider.</summary>
public static class TwoFactorEndpoints
{
    [WolverinePost("/v1/account/two-factor/setup", OperationId = "SetUpTwoFactor")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Accounts")]
    [EndpointSummary("Makes a new authenticator key; scan the URI, then enable with a code")]
    public static async Task<IResult> SetUp(UserManager<Person> people, SignInManager<Person> signIn, HttpContext context) =>
        Problems.Of(await TwoFactorUseCases.SetUpAsync(people, signIn, context));

    [WolverinePost("/v1/account/two-factor/enable", OperationId = "EnableTwoFactor")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Accounts")]
    [EndpointSummary("Turns two-factor sign-in on, proven by a current code from the authenticator; answers ten recovery codes, once")]
    public static async Task<IResult> Enable(
        EnableTwoFactor request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct) =>
        Problems.Of(await TwoFactorUseCases.EnableAsync(request, people, signIn, store, clock, context, ct));

    [WolverineDelete("/v1/account/two-factor", OperationId = "DisableTwoFactor")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Accounts")]
    [EndpointSummary("Turns two-factor sign-in off")]
    public static async Task<IResult> Disable(
        UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct) =>
        Problems.Of(await TwoFactorUseCases.DisableAsync(people, signIn, store, clock, context, ct));
}

/// <summary>
/// Two-factor sign-in for the API and the portal's two-factor page alike. They take the request's
/// <see cref="HttpContext"/>: a change rotates the security stamp, and the session that made it gets a
/// fresh cookie in its response.
/// </summary>
public static class TwoFactorUseCases
{
    public const int RecoveryCodeCount = 10;

    public static async Task<Outcome<TwoFactorSetup>> SetUpAsync(UserManager<Person> people, SignInManager<Person> signIn, HttpContext context)
    {
        var person = await CallingPersonAsync(people, context);
        if (person is null) return Failure.NotFound.Of("person");
        if (person.TwoFactorEnabled) return new Failure.Conflict("Two-factor sign-in is on; turn it off before setting up a new authenticator.");

        await people.ResetAuthenticatorKeyAsync(person);
        await KeepThisSessionAsync(person, signIn, context);
        return (await PendingSetupAsync(people, person))!;
    }

    /// <summary>The key made by <see cref="SetUpAsync"/> and not yet confirmed, to show it again; null when there is none.</summary>
    public static async Task<TwoFactorSetup?> PendingSetupAsync(UserManager<Person> people, Person person)
    {
        if (person.TwoFactorEnabled || await people.GetAuthenticatorKeyAsync(person) is not { } key) return null;
        var uri = $"otpauth://totp/AwaitHuman:{Uri.EscapeDataString(person.Email!)}?secret={key}&issuer=AwaitHuman&digits=6";
        return new TwoFactorSetup(key, uri);
    }

    public static async Task<Outcome<TwoFactorStatus>> EnableAsync(
        EnableTwoFactor request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code)) return Failure.Invalid.Of("code", "The authenticator's current code is required.");
        var person = await CallingPersonAsync(people, context);
        if (person is null) return Failure.NotFound.Of("person");
        if (await people.GetAuthenticatorKeyAsync(person) is null) return new Failure.Conflict("Call /v1/account/two-factor/setup first.");

        if (!await people.VerifyTwoFactorTokenAsync(person, TokenOptions.DefaultAuthenticatorProvider, request.Code.Replace(" ", "")))
            return Failure.Invalid.Of("code", "The code is not valid; use the current code of your authenticator app.");
        await people.SetTwoFactorEnabledAsync(person, true);
        var recoveryCodes = (await people.GenerateNewTwoFactorRecoveryCodesAsync(person, RecoveryCodeCount))?.ToArray() ?? [];
        await KeepThisSessionAsync(person, signIn, context);
        await RecordAsync(store, person, enabled: true, context, clock, ct);
        return new TwoFactorStatus(true, recoveryCodes);
    }

    public static async Task<Outcome<TwoFactorStatus>> DisableAsync(
        UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var person = await CallingPersonAsync(people, context);
        if (person is null) return Failure.NotFound.Of("person");
        await people.SetTwoFactorEnabledAsync(person, false);
        await people.ResetAuthenticatorKeyAsync(person);
        // Codes of an authenticator that is gone must not sign in either.
        await people.ReplaceCodesAsync(person);
        await KeepThisSessionAsync(person, signIn, context);
        await RecordAsync(store, person, enabled: false, context, clock, ct);
        return new TwoFactorStatus(false);
    }

    static Task ReplaceCodesAsync(this UserManager<Person> people, Person person) =>
        people.GenerateNewTwoFactorRecoveryCodesAsync(person, 0);

    static Task RecordAsync(IDocumentStore store, Person person, bool enabled, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var now = clock.GetUtcNow();
        return MemberRegistry.RecordForPersonAsync(store, person.Id, caller.TenantId, caller.AsActor(context),
            (membership, seenBy) => new MemberTwoFactorChanged(membership.Id, person.Id, person.Email!, enabled, seenBy, now), ct);
    }

    public static Task<Person?> CallingPersonAsync(UserManager<Person> people, HttpContext context) =>
        people.FindByIdAsync(Caller.Of(context).PersonId!.Value.ToString());

    /// <summary>
    /// A new authenticator key or a change of two-factor sign-in rotates the security stamp, which ends
    /// every session; the one that made the change gets a fresh cookie in the same tenant.
    /// </summary>
    static async Task KeepThisSessionAsync(Person person, SignInManager<Person> signIn, HttpContext context)
    {
        if (Caller.Of(context) is { CredentialType: CredentialTypes.Session, TenantId: var tenantId })
            await signIn.SignInWithClaimsAsync(person, isPersistent: false, [new Claim(CallerClaims.TenantId, tenantId)]);
    }
}
