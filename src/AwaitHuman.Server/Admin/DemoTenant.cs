using System.Security.Cryptography;
using System.Text.Json;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Onboarding;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using Marten;

namespace AwaitHuman.Server.Admin;

/// <summary>
/// The embedded default's demo tenant: made once, on the first start, with an owner, an operator
/// and an API key. Secrets are shown once by design, so the demo's are kept beside the embedded
/// cluster (mode 600) and printed on every start.
/// </summary>
sealed class DemoTenant(
    string credentialsFile, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DemoTenant> logger) : IHostedService
{
    public const string Slug = "demo";

    sealed record Credentials(string Tenant, string ApiKey, string OwnerEmail, string OwnerPassword, string OperatorEmail, string OperatorPassword, string OperatorToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After every other hosted service: the schemas exist by then.
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            try
            {
                Print(await LoadOrCreateAsync(lifetime.ApplicationStopping));
            }
            catch (Exception e) when (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                logger.LogError(e, "Could not seed the demo tenant");
            }
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task<Credentials?> LoadOrCreateAsync(CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        await using (var query = store.QuerySession())
            if (await query.FindBySlugAcrossTenantsAsync(Slug, ct) is not null)
                return File.Exists(credentialsFile) ? JsonSerializer.Deserialize<Credentials>(await File.ReadAllTextAsync(credentialsFile, ct)) : null;

        await using var scope = services.CreateAsyncScope();
        var ownerPassword = NewPassword();
        var by = Actor.System("demo seed");
        var created = await scope.ServiceProvider.GetRequiredService<TenantOnboarding>().CreateAsync(
            new NewTenant("Demo Company", Slug, "owner@demo.awaithuman.local", ownerPassword), by, ownerVerified: true, ct);
        if (created.Failure is not null) throw new InvalidOperationException($"The demo tenant could not be created: {created.Failure}");

        var operatorPassword = NewPassword();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (problem, member) = await scope.ServiceProvider.GetRequiredService<MemberOnboarding>().AddAsync(
            created.Tenant!.TenantId, "operator@demo.awaithuman.local", Roles.Operator, operatorPassword, by, now, ct);
        if (problem is not null) throw new InvalidOperationException($"The demo operator could not be created: {problem}");

        string token;
        await using (var session = store.LightweightSession(created.Tenant.TenantId))
        {
            token = PersonalAccessTokenIssuer.Issue(session, member!.PersonId, "demo", null, by, now).Token;
            await session.SaveChangesAsync(ct);
        }

        var credentials = new Credentials(Slug, created.ApiKey!.Key, "owner@demo.awaithuman.local", ownerPassword, "operator@demo.awaithuman.local", operatorPassword, token);
        await File.WriteAllTextAsync(credentialsFile, JsonSerializer.Serialize(credentials, new JsonSerializerOptions { WriteIndented = true }), ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return credentials;
    }

    void Print(Credentials? credentials)
    {
        if (credentials is null)
        {
            logger.LogWarning("The demo tenant exists but {File} is gone; create credentials with ./awaithuman admin create-user", credentialsFile);
            return;
        }
        logger.LogInformation(
            "Demo tenant '{Tenant}': API key {ApiKey} | owner {OwnerEmail} / {OwnerPassword} | operator {OperatorEmail} / {OperatorPassword}, token {OperatorToken} (kept in {File})",
            credentials.Tenant, credentials.ApiKey, credentials.OwnerEmail, credentials.OwnerPassword, credentials.OperatorEmail, credentials.OperatorPassword, credentials.OperatorToken, credentialsFile);
    }

    static string NewPassword() => "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
