using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace AwaitHuman.Core.Onboarding.Signup;

/// <summary>The company name, the slug its URLs will use, and its owner.</summary>
public sealed record SignUp(string? Name, string? Slug, string? Email, string? Password);

public sealed record SignedUp(string Slug, string Name, string Status, string OwnerEmail, string Next);

public sealed record VerifySignup(string? Email, string? Code);

public sealed record SignupVerified(string Slug, string Name, string Status, CreatedApiKey ApiKey);

public static class SignupEndpoints
{
    /// <summary>The rate limiting policy for the public signup endpoints (per client address).</summary>
    public const string RateLimitPolicy = "signup";

    [WolverinePost("/v1/signup", OperationId = "SignUp")]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags("Signup")]
    [EndpointSummary("Creates a company's tenant and its owner; a verification code is mailed to the owner")]
    public static async Task<IResult> SignUp(SignUp request, TenantOnboarding onboarding, HttpContext context, CancellationToken ct)
    {
        var by = new Actor("signup", null, request.Email?.Trim().ToLowerInvariant() ?? "", Actor.SourceIpOf(context));
        var result = await onboarding.CreateAsync(new NewTenant(request.Name, request.Slug, request.Email, request.Password), by, ownerVerified: false, ct);
        if (result.Failure is not null) return Problems.Of(result.Failure);

        var tenant = result.Tenant!;
        return Results.Created($"/v1/tenant", new SignedUp(tenant.Slug, tenant.Name, "pending_verification", request.Email!.Trim().ToLowerInvariant(),
            "We mailed a verification code to the owner. POST it with the email to /v1/signup/verify to activate the tenant and get its first API key."));
    }

    [WolverinePost("/v1/signup/verify", OperationId = "VerifySignup")]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags("Signup")]
    [EndpointSummary("Confirms the owner's email, activates the tenant and returns its first API key (shown once)")]
    public static async Task<IResult> Verify(
        VerifySignup request, UserManager<Person> people, AccountsDbContext db, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(request.Email))
            .Check("code", string.IsNullOrWhiteSpace(request.Code) ? "The code from the verification mail is required." : null);
        if (errors.Any) return errors.ToResult();

        const string wrongCode = "The code is not valid for this address, or has expired.";
        var person = await people.FindByEmailAsync(request.Email!.Trim());
        var token = PersonRules.DecodeCode(request.Code);
        if (person is null || token is null) return Problems.Invalid("code", wrongCode);
        if (person.EmailConfirmed) return Problems.Conflict("This address is already verified; its tenant's first API key was shown then.", "email");

        Tenant? pending;
        await using (var query = store.QuerySession())
            pending = (await MemberRegistry.TenantsOfPersonAsync(query, person.Id, ct))
                .FirstOrDefault(pair => pair.Tenant.Status == TenantStatus.PendingVerification && pair.Membership.Role == Roles.Owner).Tenant;

        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var confirmed = await people.ConfirmEmailAsync(person, token);
        if (!confirmed.Succeeded) return Problems.Invalid("code", wrongCode);
        if (pending is null) return Problems.Conflict("This address has no tenant waiting for verification.", "email");

        var now = clock.GetUtcNow();
        var by = Actor.Person(person.Id, person.Email!, context);
        var session = transaction.SessionFor(store, pending.TenantId);
        session.Events.Append(pending.Id, new TenantActivated(pending.Id, by, now));
        var key = ApiKeyIssuer.Issue(session, TenantOnboarding.DefaultKeyName, "live", [.. Scopes.All], by, now);
        await transaction.CommitAsync(ct);

        return Results.Ok(new SignupVerified(pending.Slug, pending.Name, "active", key));
    }
}
