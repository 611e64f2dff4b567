using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Tenancy;

public sealed record TenantInfo(string Slug, string Name, string Status, DateTimeOffset CreatedAt);

public sealed record RenameTenant(string? Name, string? Slug);

public static class TenantEndpoints
{
    [WolverineGet("/v1/tenant", OperationId = "GetTenant")]
    [Authorize(Policy = Policies.TenantCaller)]
    [Tags("Tenant")]
    [EndpointSummary("The caller's tenant")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext context, CancellationToken ct)
    {
        var tenant = await session.LoadAsync<Tenant>(Caller.Of(context).TenantGuid, ct);
        return tenant is null ? Problems.NotFound("tenant") : Results.Ok(Info(tenant));
    }

    [WolverinePatch("/v1/tenant", OperationId = "RenameTenant")]
    [Authorize(Policy = Policies.TenantManage)]
    [Tags("Tenant")]
    [EndpointSummary("Changes the tenant's name or slug (the internal id never changes)")]
    public static async Task<IResult> Rename(RenameTenant request, IDocumentStore store, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("name", request.Name is null ? null : TenantRules.NameProblem(request.Name))
            .Check("slug", request.Slug is null ? null : TenantRules.SlugProblem(request.Slug))
            .Check("name", request.Name is null && request.Slug is null ? "Give a new name, a new slug, or both." : null);
        if (errors.Any) return errors.ToResult();

        var caller = Caller.Of(context);
        await using var session = store.LightweightSession(caller.TenantId);
        var tenant = await session.LoadAsync<Tenant>(caller.TenantGuid, ct);
        if (tenant is null) return Problems.NotFound("tenant");
        if (request.Slug is not null && request.Slug != tenant.Slug && await session.FindBySlugAcrossTenantsAsync(request.Slug, ct) is not null)
            return Problems.Conflict($"The slug '{request.Slug}' is taken.", "slug");

        session.Events.Append(tenant.Id, new TenantRenamed(tenant.Id, request.Name?.Trim() ?? tenant.Name, request.Slug ?? tenant.Slug, caller.AsActor(context), clock.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (PersonRules.IsUniqueViolation(e))
        {
            return Problems.Conflict($"The slug '{request.Slug}' is taken.", "slug");
        }
        return Results.Ok(Info((await session.LoadAsync<Tenant>(tenant.Id, ct))!));
    }

    static TenantInfo Info(Tenant tenant) => new(tenant.Slug, tenant.Name, TenantRules.StatusName(tenant.Status), tenant.CreatedAt);
}
