using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Server.Admin;

public sealed class CreateUserInput : NetCoreInput
{
    [Description("The tenant's slug")]
    [FlagAlias("tenant")]
    public string TenantFlag { get; set; } = "";

    [Description("The person's email address (taken as verified)")]
    [FlagAlias("email")]
    public string EmailFlag { get; set; } = "";

    [Description("owner, admin, supervisor or operator")]
    [FlagAlias("role")]
    public string RoleFlag { get; set; } = "";

    [Description("The password, for a new person (12 characters or more)")]
    [FlagAlias("password")]
    public string PasswordFlag { get; set; } = "";

    [Description("Also issue a personal access token (ahp_...) that acts as this person in the tenant")]
    [FlagAlias("token")]
    public bool TokenFlag { get; set; }
}

[Description("Adds a person to a tenant with a role; prints {\"user_id\",\"token\"}", Name = "create-user")]
public sealed class CreateUserCommand : JasperFxAsyncCommand<CreateUserInput>
{
    public override async Task<bool> Execute(CreateUserInput input)
    {
        using var host = input.BuildHost();
        await AdminHost.PrepareDatabaseAsync(host.Services);
        var services = host.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var by = Actor.Platform("admin command line");

        Tenant? tenant;
        await using (var query = store.QuerySession())
            tenant = await query.FindBySlugAcrossTenantsAsync(input.TenantFlag, CancellationToken.None);
        if (tenant is null) return AdminHost.Fail($"--tenant: no tenant has the slug '{input.TenantFlag}'.");

        await using var scope = services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var email = input.EmailFlag.Trim().ToLowerInvariant();
        var problems = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(email))
            .Check("role", Roles.IsKnown(input.RoleFlag) ? null : $"The role is one of: {string.Join(", ", Roles.All)}.");
        if (await people.FindByEmailAsync(email) is null)
            foreach (var problem in await PersonRules.PasswordProblemsAsync(people, input.PasswordFlag)) problems.Check("password", problem);
        if (problems.Any) return AdminHost.Fail(problems.ToFailure());

        var (failure, member) = await scope.ServiceProvider.GetRequiredService<MemberOnboarding>().AddAsync(
            tenant.TenantId, email, input.RoleFlag, input.PasswordFlag, by, now, CancellationToken.None);
        if (failure is not null) return AdminHost.Fail(failure);

        string? token = null;
        if (input.TokenFlag)
        {
            await using var session = store.LightweightSession(tenant.TenantId);
            token = PersonalAccessTokenIssuer.Issue(session, member!.PersonId, "admin command line", null, by, now).Token;
            await session.SaveChangesAsync();
        }

        AdminHost.Print(new { user_id = member!.PersonId, token });
        return true;
    }
}
