using AwaitHuman.Core.Onboarding;
using AwaitHuman.Core.Security;
using JasperFx.CommandLine;

namespace AwaitHuman.Server.Admin;

public sealed class CreateTenantInput : NetCoreInput
{
    [Description("The company's name")]
    [FlagAlias("name")]
    public string NameFlag { get; set; } = "";

    [Description("The unique slug its URLs use: 3-40 lowercase letters, digits and hyphens")]
    [FlagAlias("slug")]
    public string SlugFlag { get; set; } = "";

    [Description("The owner's email address (taken as verified)")]
    [FlagAlias("owner-email")]
    public string OwnerEmailFlag { get; set; } = "";

    [Description("The owner's password (12 characters or more)")]
    [FlagAlias("owner-password")]
    public string OwnerPasswordFlag { get; set; } = "";
}

[Description("Creates an active tenant and its owner; prints {\"tenant_id\",\"slug\",\"api_key\"}", Name = "create-tenant")]
public sealed class CreateTenantCommand : JasperFxAsyncCommand<CreateTenantInput>
{
    public override async Task<bool> Execute(CreateTenantInput input)
    {
        using var host = input.BuildHost();
        await AdminHost.PrepareDatabaseAsync(host.Services);

        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TenantOnboarding>().CreateAsync(
            new NewTenant(input.NameFlag, input.SlugFlag, input.OwnerEmailFlag, input.OwnerPasswordFlag),
            Actor.Platform("admin command line"), ownerVerified: true, CancellationToken.None);
        if (result.Failure is not null) return AdminHost.Fail(result.Failure);

        AdminHost.Print(new { tenant_id = result.Tenant!.TenantId, slug = result.Tenant.Slug, api_key = result.ApiKey!.Key });
        return true;
    }
}
