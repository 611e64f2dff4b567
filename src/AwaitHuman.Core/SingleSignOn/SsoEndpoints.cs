using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.SingleSignOn;

/// <summary>The tenant's OpenID Connect single sign-on over the API; the client secret goes in and never comes out.</summary>
public static class SsoEndpoints
{
    [WolverineGet("/v1/sso", OperationId = "GetSingleSignOn")]
    [Authorize(Policy = Policies.TenantManage)]
    [Tags("Single sign-on")]
    [EndpointSummary("The tenant's single sign-on settings, without the client secret")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext context, CancellationToken ct) =>
        await SingleSignOnUseCases.FindAsync(session, ct) is { } connection
            ? Results.Ok(await DetailsAsync(connection, session, context, ct))
            : Problems.Of(new Failure.NotFound("No single sign-on is configured for this company."));

    [WolverinePut("/v1/sso", OperationId = "ConfigureSingleSignOn")]
    [Authorize(Policy = Policies.TenantManage)]
    [Tags("Single sign-on")]
    [EndpointSummary("Sets the tenant's OpenID Connect provider, the email domains it covers, the role of new people and whether it is required")]
    public static async Task<IResult> Configure(
        ConfigureSingleSignOn request, IDocumentSession session, SsoSecrets secrets, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await SingleSignOnUseCases.ConfigureAsync(session, request, secrets, Caller.Of(context).AsActor(context), clock, ct);
        if (!outcome.Succeeded) return Problems.Of(outcome.Failure);
        await session.SaveChangesAsync(ct);
        return Results.Ok(await DetailsAsync(outcome.Value, session, context, ct));
    }

    [WolverineDelete("/v1/sso", OperationId = "RemoveSingleSignOn")]
    [Authorize(Policy = Policies.TenantManage)]
    [Tags("Single sign-on")]
    [EndpointSummary("Removes the tenant's single sign-on; everyone signs in with a password again")]
    public static async Task<IResult> Remove(IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await SingleSignOnUseCases.RemoveAsync(session, Caller.Of(context).AsActor(context), clock, ct);
        if (!outcome.Succeeded) return Problems.Of(outcome.Failure);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    static async Task<SingleSignOnDetails> DetailsAsync(SsoConnection connection, IQuerySession session, HttpContext context, CancellationToken ct)
    {
        var tenant = (await session.FindByIdAcrossTenantsAsync(Guid.Parse(session.TenantId), ct))!.Slug;
        // The OpenID Connect handler builds the redirect URI from the request the same way.
        return SingleSignOnDetails.Of(connection, tenant, $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}");
    }
}
