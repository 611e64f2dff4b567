using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Billing;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.Onboarding;

public sealed record NewTenant(string? Name, string? Slug, string? OwnerEmail, string? OwnerPassword, string? OwnerName = null);

/// <summary>Either the new tenant, or why not (nothing was stored then).</summary>
public sealed record OnboardingResult(Failure? Failure, Tenant? Tenant = null, Guid OwnerId = default, CreatedApiKey? ApiKey = null);

/// <summary>
/// Creates a tenant and its owner in one transaction (Identity's tables and the event store
/// together), for signup, the admin command line and the demo tenant.
/// </summary>
public sealed class TenantOnboarding(
    AccountsDbContext db, UserManager<Person> people, IDocumentStore store, IAccountMailer mailer, StarterConnections starterConnections, PublicUrls urls,
    IOptions<BillingOptions> billing, TimeProvider clock)
{
    public const string DefaultKeyName = "Default key";

    /// <param name="ownerVerified">
    /// True when the caller vouches for the owner's address (the platform's command line): the tenant
    /// is active at once and gets its first API key. Otherwise a verification code is mailed.
    /// </param>
    public async Task<OnboardingResult> CreateAsync(NewTenant request, Actor by, bool ownerVerified, CancellationToken ct)
    {
        var email = request.OwnerEmail?.Trim().ToLowerInvariant();
        var errors = new Problems.Errors()
            .Check("name", TenantRules.NameProblem(request.Name))
            .Check("slug", TenantRules.SlugProblem(request.Slug))
            .Check("email", PersonRules.EmailProblem(email))
            .Check("owner_name", PersonRules.DisplayNameProblem(request.OwnerName));
        foreach (var problem in await PersonRules.PasswordProblemsAsync(people, request.OwnerPassword))
            errors.Check("password", problem);
        if (errors.Any) return new(errors.ToFailure());

        await using (var query = store.QuerySession())
            if (await query.FindBySlugAcrossTenantsAsync(request.Slug!, ct) is not null)
                return new(new Failure.Conflict($"The slug '{request.Slug}' is taken.", "slug"));
        if (await people.FindByEmailAsync(email!) is not null)
            return new(new Failure.Conflict("A person with this email address already exists; an admin of a tenant can add them as a member.", "email"));

        var now = clock.GetUtcNow();
        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var owner = new Person { Id = Guid.CreateVersion7(now), UserName = email, Email = email, EmailConfirmed = ownerVerified, DisplayName = string.IsNullOrWhiteSpace(request.OwnerName) ? email! : request.OwnerName.Trim(), CreatedAt = now };
        var created = await people.CreateAsync(owner, request.OwnerPassword!);
        if (!created.Succeeded)
            return new(Failure.Invalid.Of("email", string.Join(" ", created.Errors.Select(error => error.Description))));

        var tenantId = Guid.CreateVersion7(now);
        var session = transaction.SessionFor(store, tenantId.ToString());
        var tenantCreated = new TenantCreated(tenantId, request.Name!.Trim(), request.Slug!, by, now);
        session.Events.StartStream<Tenant>(tenantId, tenantCreated);
        MemberRegistry.Add(session, owner.Id, email!, Roles.Owner, by, now);
        starterConnections.Add(session, by, now);
        BillingStreams.Start(session, billing.Value, tenantId, now);

        CreatedApiKey? apiKey = null;
        if (ownerVerified)
        {
            session.Events.Append(tenantId, new TenantActivated(tenantId, by, now));
            apiKey = ApiKeyIssuer.Issue(session, DefaultKeyName, "live", [.. Scopes.All], by, now);
        }
        else
        {
            var code = PersonRules.EncodeCode(await people.GenerateEmailConfirmationTokenAsync(owner));
            var link = new Uri(urls.BaseUrl, $"signup/verify?email={Uri.EscapeDataString(email!)}&code={code}");
            mailer.Send(session, new AccountMail(email!, "Verify your email for AwaitHuman",
                $"Welcome to AwaitHuman. To activate {tenantCreated.Name} ({tenantCreated.Slug}), confirm your address with this code:\n\n{code}\n\n" +
                $"Open {link} to finish in the browser, " +
                "or POST it to /v1/signup/verify as {\"email\": \"...\", \"code\": \"...\"}; the answer holds your first API key.",
                "verify_email", code));
        }

        try
        {
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (PersonRules.IsUniqueViolation(e))
        {
            // Another signup took the slug between our check and our commit; nothing of ours was kept.
            return new(new Failure.Conflict($"The slug '{request.Slug}' is taken.", "slug"));
        }

        var tenant = Tenant.Create(tenantCreated);
        if (ownerVerified) tenant.Status = TenantStatus.Active;
        return new(null, tenant, owner.Id, apiKey);
    }
}
