using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Core.Onboarding.Signup;

/// <summary>Whether a slug may be taken now, and if not, why (its format, a reserved word, or another tenant's).</summary>
public sealed record SlugAvailability(string Slug, bool Available, string? Problem);

/// <summary>The tenant activated by a verified signup, its first API key (shown once) and the owner who verified.</summary>
public sealed record VerifiedSignup(SignupVerified Answer, Person Owner, string TenantId);

/// <summary>
/// Self-serve signup, for <c>/v1/signup</c> and the portal's sign-up pages alike: creating the
/// pending tenant, checking a slug, and verifying the owner's address (which activates the tenant).
/// </summary>
public static class SignupUseCases
{
    const string WrongCode = "The code is not valid for this address, or has expired.";

    public static async Task<Outcome<SignedUp>> SignUpAsync(SignUp request, TenantOnboarding onboarding, HttpContext context, CancellationToken ct)
    {
        var email = request.Email?.Trim().ToLowerInvariant();
        var by = new Actor("signup", null, email ?? "", Actor.SourceIpOf(context));
        var result = await onboarding.CreateAsync(new NewTenant(request.Name, request.Slug?.Trim(), email, request.Password, request.OwnerName), by, ownerVerified: false, ct);
        if (result.Failure is not null) return result.Failure;

        var tenant = result.Tenant!;
        return new SignedUp(tenant.Slug, tenant.Name, "pending_verification", email!,
            "We mailed a verification code to the owner. POST it with the email to /v1/signup/verify to activate the tenant and get its first API key.");
    }

    /// <summary>A slug's format and whether another tenant holds it; nothing is reserved by asking.</summary>
    public static async Task<SlugAvailability> CheckSlugAsync(string? slug, IDocumentStore store, CancellationToken ct)
    {
        slug = slug?.Trim() ?? "";
        if (TenantRules.SlugProblem(slug) is { } problem) return new(slug, false, problem);
        await using var query = store.QuerySession();
        return await query.FindBySlugAcrossTenantsAsync(slug, ct) is null
            ? new(slug, true, null)
            : new(slug, false, $"The slug '{slug}' is taken.");
    }

    /// <summary>Confirms the owner's address with the mailed code, activates their pending tenant and issues its first API key.</summary>
    public static async Task<Outcome<VerifiedSignup>> VerifyAsync(
        VerifySignup request, UserManager<Person> people, AccountsDbContext db, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(request.Email?.Trim()))
            .Check("code", string.IsNullOrWhiteSpace(request.Code) ? "The code from the verification mail is required." : null);
        if (errors.Any) return errors.ToFailure();

        var person = await people.FindByEmailAsync(request.Email!.Trim());
        var token = PersonRules.DecodeCode(request.Code!.Trim());
        if (person is null || token is null) return Failure.Invalid.Of("code", WrongCode);
        if (person.EmailConfirmed) return new Failure.Conflict("This address is already verified; its tenant's first API key was shown then. Sign in instead.", "email");

        Tenant? pending;
        await using (var query = store.QuerySession())
            pending = (await MemberRegistry.TenantsOfPersonAsync(query, person.Id, ct))
                .FirstOrDefault(pair => pair.Tenant.Status == TenantStatus.PendingVerification && pair.Membership.Role == Roles.Owner).Tenant;

        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var confirmed = await people.ConfirmEmailAsync(person, token);
        if (!confirmed.Succeeded) return Failure.Invalid.Of("code", WrongCode);
        if (pending is null) return new Failure.Conflict("This address has no tenant waiting for verification.", "email");

        var now = clock.GetUtcNow();
        var by = Actor.Person(person.Id, person.Email!, context);
        var session = transaction.SessionFor(store, pending.TenantId);
        session.Events.Append(pending.Id, new TenantActivated(pending.Id, by, now));
        var key = ApiKeyIssuer.Issue(session, TenantOnboarding.DefaultKeyName, "live", [.. Scopes.All], by, now);
        await transaction.CommitAsync(ct);

        return new VerifiedSignup(new SignupVerified(pending.Slug, pending.Name, "active", key), person, pending.TenantId);
    }
}
