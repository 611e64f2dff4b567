using System.Net.Http.Headers;
using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Onboarding;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Testing;

/// <summary>A tenant made for one test: its slug, its owner and its first API key (every scope).</summary>
public sealed record TestTenantAccount(string TenantId, string Slug, Guid OwnerId, string OwnerEmail, string OwnerPassword, string ApiKey);

/// <summary>A person in a test tenant with a personal access token that acts as them.</summary>
public sealed record TestMember(Guid MembershipId, Guid PersonId, string Email, string Password, string Role, string Token);

/// <summary>
/// Scenario helpers on the running app: tenants and members made the way the admin command line
/// makes them (the same onboarding code), so tests start from a signed-up, verified tenant.
/// </summary>
public static class TestTenants
{
    public const string Password = "correct horse battery staple";

    public static async Task<TestTenantAccount> NewTenantAsync(this AwaitHumanApp app, string? slug = null)
    {
        slug ??= $"t-{Guid.NewGuid():N}"[..30];
        var email = $"owner@{slug}.test";
        await using var scope = app.Services.CreateAsyncScope();
        var onboarding = scope.ServiceProvider.GetRequiredService<TenantOnboarding>();
        var result = await onboarding.CreateAsync(new NewTenant($"Company {slug}", slug, email, Password), Actor.Platform("tests"), ownerVerified: true, CancellationToken.None);
        if (result.Failure is not null) throw new InvalidOperationException($"Could not create test tenant {slug}: {result.Failure}");
        return new TestTenantAccount(result.Tenant!.TenantId, slug, result.OwnerId, email, Password, result.ApiKey!.Key);
    }

    /// <summary>Adds a person with <paramref name="role"/> and gives them a personal access token.</summary>
    public static async Task<TestMember> NewMemberAsync(this AwaitHumanApp app, TestTenantAccount tenant, string role, string? email = null)
    {
        email ??= $"{role}-{Guid.NewGuid():N}@{tenant.Slug}.test";
        await using var scope = app.Services.CreateAsyncScope();
        var now = DateTimeOffset.UtcNow;
        var (problem, member) = await scope.ServiceProvider.GetRequiredService<MemberOnboarding>().AddAsync(
            tenant.TenantId, email, role, Password, Actor.Platform("tests"), now, CancellationToken.None);
        if (problem is not null) throw new InvalidOperationException($"Could not add {email}: {problem}");

        await using var session = app.Store.LightweightSession(tenant.TenantId);
        var token = PersonalAccessTokenIssuer.Issue(session, member!.PersonId, "tests", null, Actor.Platform("tests"), now);
        await session.SaveChangesAsync();
        return new TestMember(member.Id, member.PersonId, email, Password, role, token.Token);
    }

    /// <summary>An HTTP client that sends <paramref name="bearer"/> (an API key, token or access token) on every request.</summary>
    public static HttpClient CreateHttpClient(this AwaitHumanApp app, string bearer)
    {
        var client = app.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    /// <summary>The newest sandbox mail to <paramref name="address"/> with <paramref name="purpose"/>.</summary>
    public static async Task<SandboxEmail?> LatestSandboxEmailAsync(this AwaitHumanApp app, string address, string purpose)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<SandboxEmail>()
            .Where(mail => mail.To == address.ToLowerInvariant() && mail.Purpose == purpose)
            .OrderByDescending(mail => mail.SentAt)
            .FirstOrDefaultAsync();
    }
}
