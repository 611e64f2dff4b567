using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Tenancy;

/// <param name="FormerSlugs">Slugs the tenant had before; they still name it (sign-in, links) and no one else may take them.</param>
public sealed record TenantInfo(string Slug, string Name, string Status, DateTimeOffset CreatedAt, string TimeZone, string Locale, IReadOnlyList<string> FormerSlugs)
{
    public static TenantInfo Of(Tenant tenant) =>
        new(tenant.Slug, tenant.Name, TenantRules.StatusName(tenant.Status), tenant.CreatedAt, tenant.TimeZone, tenant.Locale, [.. tenant.FormerSlugs]);
}

/// <summary>The settings to change; what is left out stays as it is.</summary>
/// <param name="Slug">Only owners (the <c>tenant:manage</c> scope) change it; the old slug stays the tenant's.</param>
/// <param name="TimeZone">An IANA time zone, e.g. Europe/Berlin.</param>
/// <param name="Locale">A culture name, e.g. en-US or de-DE.</param>
public sealed record UpdateTenant(string? Name = null, string? Slug = null, string? TimeZone = null, string? Locale = null);

/// <summary>
/// The tenant's settings, for <c>PATCH /v1/tenant</c> and the settings page. Admins change the name,
/// time zone and locale; the slug, which everyone signs in with, only owners (or a key with <c>tenant:manage</c>).
/// </summary>
public static class TenantSettings
{
    public static async Task<Outcome<TenantInfo>> GetAsync(IDocumentStore store, Caller caller, CancellationToken ct)
    {
        await using var query = store.QuerySession(caller.TenantId);
        return await query.LoadAsync<Tenant>(caller.TenantGuid, ct) is { } tenant ? TenantInfo.Of(tenant) : Failure.NotFound.Of("tenant");
    }

    public static bool MayChangeSettings(Caller caller) => caller.Has(Scopes.TenantManage) || Roles.IsAtLeast(caller.Role, Roles.Admin);

    public static bool MayChangeSlug(Caller caller) => caller.Has(Scopes.TenantManage);

    public static async Task<Outcome<TenantInfo>> UpdateAsync(IDocumentStore store, Caller caller, Actor by, UpdateTenant request, TimeProvider clock, CancellationToken ct)
    {
        if (!MayChangeSettings(caller))
            // A key or OAuth client is told the scope it lacks, in the words every other admin endpoint uses.
            return new Failure.Forbidden(caller.Role is null
                ? $"This credential lacks the scope {Scopes.TenantManage}."
                : $"Changing the tenant's settings needs the {Scopes.TenantManage} scope or the admin role.");
        var errors = new Problems.Errors()
            .Check("name", request.Name is null ? null : TenantRules.NameProblem(request.Name))
            .Check("slug", request.Slug is null ? null : TenantRules.SlugProblem(request.Slug))
            .Check("time_zone", request.TimeZone is null ? null : TenantRules.TimeZoneProblem(request.TimeZone))
            .Check("locale", request.Locale is null ? null : TenantRules.LocaleProblem(request.Locale))
            .Check("name", request is { Name: null, Slug: null, TimeZone: null, Locale: null } ? "Give at least one of name, slug, time_zone and locale." : null);
        if (errors.Any) return errors.ToFailure();

        await using var session = store.LightweightSession(caller.TenantId);
        var tenant = await session.LoadAsync<Tenant>(caller.TenantGuid, ct);
        if (tenant is null) return Failure.NotFound.Of("tenant");
        var slug = request.Slug ?? tenant.Slug;
        if (slug != tenant.Slug && !MayChangeSlug(caller))
            return new Failure.Forbidden($"Changing the slug needs the {Scopes.TenantManage} scope: only owners change it.");
        if (slug != tenant.Slug && await session.FindBySlugAcrossTenantsAsync(slug, ct) is { } holder && holder.Id != tenant.Id)
            return SlugTaken(slug);

        var now = clock.GetUtcNow();
        var name = request.Name?.Trim() ?? tenant.Name;
        if (name != tenant.Name || slug != tenant.Slug)
            session.Events.Append(tenant.Id, new TenantRenamed(tenant.Id, name, slug, by, now));
        var zone = request.TimeZone is null ? tenant.TimeZone : TenantRules.IanaZone(request.TimeZone.Trim())!.Id;
        var locale = request.Locale is null ? tenant.Locale : TenantRules.KnownCulture(request.Locale.Trim())!.Name;
        if (zone != tenant.TimeZone || locale != tenant.Locale)
            session.Events.Append(tenant.Id, new TenantDefaultsChanged(tenant.Id, zone, locale, by, now));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (PersonRules.IsUniqueViolation(e))
        {
            return SlugTaken(slug);
        }
        return TenantInfo.Of((await session.LoadAsync<Tenant>(tenant.Id, ct))!);
    }

    static Failure.Conflict SlugTaken(string slug) => new($"The slug '{slug}' is taken.", "slug");
}

public static class TenantEndpoints
{
    [WolverineGet("/v1/tenant", OperationId = "GetTenant")]
    [Authorize(Policy = Policies.TenantCaller)]
    [Tags("Tenant")]
    [EndpointSummary("The caller's tenant")]
    public static async Task<IResult> Get(IDocumentStore store, HttpContext context, CancellationToken ct) =>
        Problems.Of(await TenantSettings.GetAsync(store, Caller.Of(context), ct));

    [WolverinePatch("/v1/tenant", OperationId = "UpdateTenant")]
    [Authorize(Policy = Policies.TenantCaller)]
    [Tags("Tenant")]
    [EndpointSummary("Changes the tenant's name, slug, default time zone or locale (the internal id never changes)")]
    [EndpointDescription("Admins change the name, time zone and locale; the slug only owners or a key with tenant:manage. The old slug stays the tenant's: signing in with it still reaches the tenant, and no other tenant may take it.")]
    public static async Task<IResult> Update(UpdateTenant request, IDocumentStore store, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await TenantSettings.UpdateAsync(store, caller, caller.AsActor(context), request, clock, ct));
    }
}
