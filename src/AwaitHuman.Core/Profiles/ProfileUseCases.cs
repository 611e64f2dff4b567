using System.Security.Claims;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Core.Profiles;

/// <param name="DisplayName">What customers see instead of the email; the email when none was chosen.</param>
/// <param name="TimeZone">IANA time zone the console shows times in; null until set.</param>
public sealed record ProfileView(
    Guid PersonId, string Email, string DisplayName, string? TimeZone, bool TwoFactorEnabled, int RecoveryCodesLeft,
    bool EmailWhenAssigned, bool EmailBeforeSlaBreach);

/// <summary>A partial change: a field left out (null) stays as it is; an empty display name goes back to the email.</summary>
public sealed record UpdateProfile(string? DisplayName, string? TimeZone, bool? EmailWhenAssigned, bool? EmailBeforeSlaBreach);

public sealed record ChangePassword(string? CurrentPassword, string? NewPassword);

/// <summary>
/// A person's own profile, for <c>/v1/me/profile</c> and the portal's profile page alike. Every field is
/// checked before anything is written, and the person (Identity) and the profile (Marten) are written in
/// one transaction, so a refused change stores nothing.
/// </summary>
public sealed class ProfileUseCases(UserManager<Person> people, AccountsDbContext accounts, IDocumentStore store, CredentialCache credentials)
{
    public async Task<Outcome<ProfileView>> GetAsync(Guid personId, CancellationToken ct)
    {
        if (await people.FindByIdAsync(personId.ToString()) is not { } person) return Failure.NotFound.Of("person");
        await using var query = store.QuerySession();
        return await ViewAsync(person, await query.LoadAsync<PersonProfile>(personId, ct));
    }

    public async Task<Outcome<ProfileView>> UpdateAsync(Guid personId, UpdateProfile request, CancellationToken ct)
    {
        var zone = request.TimeZone is { Length: > 0 } id ? FindZone(id) : null;
        var errors = new Problems.Errors()
            .Check("display_name", PersonRules.DisplayNameProblem(request.DisplayName))
            .Check("time_zone", request.TimeZone is { Length: > 0 } && zone is null ? "This is not a time zone; use an IANA name such as Europe/Berlin." : null);
        if (errors.Any) return errors.ToFailure();
        if (await people.FindByIdAsync(personId.ToString()) is not { } person) return Failure.NotFound.Of("person");

        await using var transaction = await AccountsTransaction.BeginAsync(accounts, ct);
        var session = transaction.SessionFor(store, StorageConstants.DefaultTenantId);
        var profile = await session.LoadAsync<PersonProfile>(personId, ct) ?? new PersonProfile { Id = personId };
        if (request.DisplayName is not null)
        {
            person.DisplayName = request.DisplayName.Trim() is { Length: > 0 } name ? name : person.Email!;
            var updated = await people.UpdateAsync(person);
            if (!updated.Succeeded) return new Failure.CannotBeDone(string.Join(" ", updated.Errors.Select(e => e.Description)));
        }
        if (request.TimeZone is not null) profile.TimeZone = zone?.Id;
        if (request.EmailWhenAssigned is { } assigned) profile.EmailWhenAssigned = assigned;
        if (request.EmailBeforeSlaBreach is { } breach) profile.EmailBeforeSlaBreach = breach;
        session.Store(profile);
        // Every node's credential cache holds display names: the same NOTIFY as a credential change.
        session.QueueSqlCommand($"select pg_notify('{CredentialCache.Channel}', '')");
        await transaction.CommitAsync(ct);
        credentials.Forget();
        return await ViewAsync(person, profile);
    }

    /// <summary>
    /// Checks the current password and Identity's rules for the new one (the API's and the sign-up's).
    /// The new security stamp ends the person's other sessions; the one that asked gets a fresh cookie.
    /// </summary>
    public async Task<Outcome<ProfileView>> ChangePasswordAsync(Guid personId, ChangePassword request, SignInManager<Person> signIn, HttpContext context, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("current_password", string.IsNullOrEmpty(request.CurrentPassword) ? "Your current password is required." : null);
        foreach (var problem in await PersonRules.PasswordProblemsAsync(people, request.NewPassword)) errors.Check("new_password", problem);
        if (errors.Any) return errors.ToFailure();
        if (await people.FindByIdAsync(personId.ToString()) is not { } person) return Failure.NotFound.Of("person");
        if (!await people.CheckPasswordAsync(person, request.CurrentPassword!))
            return Failure.Invalid.Of("current_password", "This is not your current password.");

        var changed = await people.ChangePasswordAsync(person, request.CurrentPassword!, request.NewPassword!);
        if (!changed.Succeeded) return Failure.Invalid.Of("new_password", string.Join(" ", changed.Errors.Select(e => e.Description)));
        if (Caller.From(context.User) is { CredentialType: CredentialTypes.Session, TenantId: var tenantId })
            await signIn.SignInWithClaimsAsync(person, isPersistent: false, [new Claim(CallerClaims.TenantId, tenantId)]);
        return await GetAsync(personId, ct);
    }

    /// <summary>The person's chosen time zone, null when none; the console's layout reads it on every page.</summary>
    public async Task<string?> TimeZoneOfAsync(Guid personId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return (await query.LoadAsync<PersonProfile>(personId, ct))?.TimeZone;
    }

    /// <summary>
    /// Takes the browser's time zone on a first visit; a zone already set is never replaced. Marten only:
    /// the console's layout calls it while its page may be using the circuit's accounts context.
    /// </summary>
    public async Task<string?> TimeZoneOrBrowsersAsync(Guid personId, string? browserZone, CancellationToken ct)
    {
        await using var session = store.LightweightSession(StorageConstants.DefaultTenantId);
        var profile = await session.LoadAsync<PersonProfile>(personId, ct);
        if (profile?.TimeZone is { } chosen) return chosen;
        if (browserZone is null || FindZone(browserZone) is not { } zone) return null;
        profile ??= new PersonProfile { Id = personId };
        profile.TimeZone = zone.Id;
        session.Store(profile);
        await session.SaveChangesAsync(ct);
        return zone.Id;
    }

    /// <summary>The zone with this IANA name (or a Windows name the system maps), null if none.</summary>
    public static TimeZoneInfo? FindZone(string id) =>
        id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    async Task<ProfileView> ViewAsync(Person person, PersonProfile? profile)
    {
        profile ??= new PersonProfile { Id = person.Id };
        return new ProfileView(person.Id, person.Email!, string.IsNullOrWhiteSpace(person.DisplayName) ? person.Email! : person.DisplayName,
            profile.TimeZone, person.TwoFactorEnabled, await people.CountRecoveryCodesAsync(person),
            profile.EmailWhenAssigned, profile.EmailBeforeSlaBreach);
    }
}
