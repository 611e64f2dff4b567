using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Wolverine.Http;

namespace AwaitHuman.Core.Authentication;

public sealed record TwoFactorSetup(string SharedKey, string AuthenticatorUri);

public sealed record EnableTwoFactor(string? Code);

public sealed record TwoFactorStatus(bool Enabled);

/// <summary>TOTP (authenticator app) two-factor sign-in, with Identity's authenticator token provider.</summary>
public static class TwoFactorEndpoints
{
    [WolverinePost("/v1/account/two-factor/setup", OperationId = "SetUpTwoFactor")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Accounts")]
    [EndpointSummary("Makes a new authenticator key; scan the URI, then enable with a code")]
    public static async Task<IResult> SetUp(UserManager<Person> people, SignInManager<Person> signIn, HttpContext context)
    {
        var person = await CallingPersonAsync(people, context);
        if (person is null) return Problems.NotFound("person");

        await people.ResetAuthenticatorKeyAsync(person);
        await KeepThisSessionAsync(person, signIn, context);
        var key = (await people.GetAuthenticatorKeyAsync(person))!;
        var uri = $"otpauth://totp/AwaitHuman:{Uri.EscapeDataString(person.Email!)}?secret={key}&issuer=AwaitHuman&digits=6";
        return Results.Ok(new TwoFactorSetup(key, uri));
    }

    [WolverinePost("/v1/account/two-factor/enable", OperationId = "EnableTwoFactor")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Accounts")]
    [EndpointSummary("Turns two-factor sign-in on, proven by a current code from the authenticator")]
    public static async Task<IResult> Enable(
        EnableTwoFactor request, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code)) return Problems.Invalid("code", "The authenticator's current code is required.");
        var person = await CallingPersonAsync(people, context);
        if (person is null) return Problems.NotFound("person");
        if (await people.GetAuthenticatorKeyAsync(person) is null) return Problems.Conflict("Call /v1/account/two-factor/setup first.");

        if (!await people.VerifyTwoFactorTokenAsync(person, TokenOptions.DefaultAuthenticatorProvider, request.Code.Replace(" ", "")))
            return Problems.Invalid("code", "The code is not valid; use the current code of your authenticator app.");
        await people.SetTwoFactorEnabledAsync(person, true);
        await KeepThisSessionAsync(person, signIn, context);
        await RecordAsync(store, person, enabled: true, context, clock, ct);
        return Results.Ok(new TwoFactorStatus(true));
    }

    [WolverineDelete("/v1/account/two-factor", OperationId = "DisableTwoFactor")]
    [Authorize(Policy = Policies.Person)]
    [Tags("Accounts")]
    [EndpointSummary("Turns two-factor sign-in off")]
    public static async Task<IResult> Disable(
        UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var person = await CallingPersonAsync(people, context);
        if (person is null) return Problems.NotFound("person");
        await people.SetTwoFactorEnabledAsync(person, false);
        await people.ResetAuthenticatorKeyAsync(person);
        await KeepThisSessionAsync(person, signIn, context);
        await RecordAsync(store, person, enabled: false, context, clock, ct);
        return Results.Ok(new TwoFactorStatus(false));
    }

    static Task RecordAsync(IDocumentStore store, Person person, bool enabled, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var now = clock.GetUtcNow();
        return MemberRegistry.RecordForPersonAsync(store, person.Id, caller.TenantId, caller.AsActor(context),
            (membership, seenBy) => new MemberTwoFactorChanged(membership.Id, person.Id, person.Email!, enabled, seenBy, now), ct);
    }

    static Task<Person?> CallingPersonAsync(UserManager<Person> people, HttpContext context) =>
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
