using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Tenancy.Me;

public sealed record CredentialInfo(string Type, string Id, string Name);

public sealed record Me(string Tenant, CredentialInfo Credential, string[] Scopes, string? Role, Guid? PersonId);

public static class MeEndpoint
{
    [WolverineGet("/v1/me", OperationId = "GetMe")]
    [Authorize(Policy = Policies.TenantCaller)]
    [Tags("Tenant")]
    [EndpointSummary("Tells the caller which tenant, credential, scopes and role it is acting as")]
    public static Me Get(HttpContext context)
    {
        var caller = Caller.Of(context);
        return new Me(caller.TenantSlug, new CredentialInfo(caller.CredentialType, caller.CredentialId, caller.Name), [.. caller.Scopes], caller.Role, caller.PersonId);
    }
}
