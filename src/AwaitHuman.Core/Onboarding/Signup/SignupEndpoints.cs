using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace AwaitHuman.Core.Onboarding.Signup;

/// <summary>The company name, the slug its URLs will use, and its owner.</summary>
/// <param name="OwnerName">How the owner is shown to teammates and customers; their email when left out.</param>
public sealed record SignUp(string? Name, string? Slug, string? Email, string? Password, string? OwnerName = null);

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
    public static async Task<IResult> SignUp(SignUp request, TenantOnboarding onboarding, HttpContext context, CancellationToken ct) =>
        Problems.Of(await SignupUseCases.SignUpAsync(request, onboarding, context, ct), signedUp => Results.Created("/v1/tenant", signedUp));

    [WolverineGet("/v1/signup/slug-availability", OperationId = "CheckSlugAvailability")]
    [Tags("Signup")]
    [EndpointSummary("Says whether a slug is well-formed and free; the sign-up page asks it as the slug is typed")]
    public static async Task<SlugAvailability> CheckSlug(string? slug, IDocumentStore store, CancellationToken ct) =>
        await SignupUseCases.CheckSlugAsync(slug, store, ct);

    [WolverinePost("/v1/signup/verify", OperationId = "VerifySignup")]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags("Signup")]
    [EndpointSummary("Confirms the owner's email, activates the tenant and returns its first API key (shown once)")]
    public static async Task<IResult> Verify(
        VerifySignup request, UserManager<Person> people, AccountsDbContext db, IDocumentStore store, TimeProvider clock, HttpContext context, CancellationToken ct) =>
        Problems.Of(await SignupUseCases.VerifyAsync(request, people, db, store, clock, context, ct), verified => Results.Ok(verified.Answer));
}
