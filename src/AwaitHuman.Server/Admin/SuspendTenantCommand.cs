using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using JasperFx.CommandLine;
using Marten;

namespace AwaitHuman.Server.Admin;

public sealed class TenantStatusInput : NetCoreInput
{
    [Description("The tenant's slug")]
    [FlagAlias("slug")]
    public string SlugFlag { get; set; } = "";

    [Description("Why (kept in the tenant's audit trail)")]
    [FlagAlias("reason")]
    public string ReasonFlag { get; set; } = "";
}

[Description("Suspends a tenant: every credential of it stops working at once", Name = "suspend-tenant")]
public sealed class SuspendTenantCommand : JasperFxAsyncCommand<TenantStatusInput>
{
    public override Task<bool> Execute(TenantStatusInput input) =>
        TenantStatusChange.ApplyAsync(input, TenantStatus.Active, (tenant, by, now) =>
            new TenantSuspended(tenant.Id, string.IsNullOrWhiteSpace(input.ReasonFlag) ? "not given" : input.ReasonFlag, by, now));
}

[Description("Reactivates a suspended tenant", Name = "reactivate-tenant")]
public sealed class ReactivateTenantCommand : JasperFxAsyncCommand<TenantStatusInput>
{
    public override Task<bool> Execute(TenantStatusInput input) =>
        TenantStatusChange.ApplyAsync(input, TenantStatus.Suspended, (tenant, by, now) => new TenantReactivated(tenant.Id, by, now));
}

static class TenantStatusChange
{
    public static async Task<bool> ApplyAsync(TenantStatusInput input, TenantStatus from, Func<Tenant, Actor, DateTimeOffset, object> change)
    {
        using var host = input.BuildHost();
        await AdminHost.PrepareDatabaseAsync(host.Services);
        var store = host.Services.GetRequiredService<IDocumentStore>();

        Tenant? tenant;
        await using (var query = store.QuerySession())
            tenant = await query.FindBySlugAcrossTenantsAsync(input.SlugFlag, CancellationToken.None);
        if (tenant is null) return AdminHost.Fail($"--slug: no tenant has the slug '{input.SlugFlag}'.");
        if (tenant.Status != from) return AdminHost.Fail($"The tenant '{tenant.Slug}' is {TenantRules.StatusName(tenant.Status)}.");

        await using var session = store.LightweightSession(tenant.TenantId);
        session.Events.Append(tenant.Id, change(tenant, Actor.Platform("admin command line"), host.Services.GetRequiredService<TimeProvider>().GetUtcNow()));
        await session.SaveChangesAsync();

        var changed = (await session.LoadAsync<Tenant>(tenant.Id))!;
        AdminHost.Print(new { slug = changed.Slug, status = TenantRules.StatusName(changed.Status) });
        return true;
    }
}
