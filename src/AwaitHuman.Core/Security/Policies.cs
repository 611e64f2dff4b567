using Microsoft.AspNetCore.Authorization;

namespace AwaitHuman.Core.Security;

/// <summary>
/// Authorization policies by name, for <c>[Authorize(Policy = ...)]</c> on endpoints and, later,
/// portal pages. Scope policies suit the API (every credential has scopes); role policies suit
/// pages that only people see.
/// </summary>
public static class Policies
{
    const string ScopePrefix = "scope:";
    const string RolePrefix = "role:";

    /// <summary>Any authenticated caller of a tenant.</summary>
    public const string TenantCaller = "tenant-caller";

    public const string EscalationsWrite = ScopePrefix + Scopes.EscalationsWrite;
    public const string EscalationsRead = ScopePrefix + Scopes.EscalationsRead;
    public const string WebhooksManage = ScopePrefix + Scopes.WebhooksManage;
    public const string ApiKeysManage = ScopePrefix + Scopes.ApiKeysManage;
    public const string OAuthClientsManage = ScopePrefix + Scopes.OAuthClientsManage;
    public const string MembersRead = ScopePrefix + Scopes.MembersRead;
    public const string MembersManage = ScopePrefix + Scopes.MembersManage;
    public const string AuditRead = ScopePrefix + Scopes.AuditRead;
    public const string TenantManage = ScopePrefix + Scopes.TenantManage;
    public const string ChannelsManage = ScopePrefix + Scopes.ChannelsManage;
    public const string TeamsRead = ScopePrefix + Scopes.TeamsRead;
    public const string TeamsManage = ScopePrefix + Scopes.TeamsManage;
    public const string RoutingRead = ScopePrefix + Scopes.RoutingRead;
    public const string RoutingManage = ScopePrefix + Scopes.RoutingManage;
    public const string CustomerDataRead = ScopePrefix + Scopes.CustomerDataRead;
    public const string CustomerDataErase = ScopePrefix + Scopes.CustomerDataErase;
    public const string CannedRepliesManage = ScopePrefix + Scopes.CannedRepliesManage;

    /// <summary>A person (not a machine credential) acting in a tenant.</summary>
    public const string Person = "person";
    public const string OperatorOrAbove = RolePrefix + Roles.Operator;
    public const string SupervisorOrAbove = RolePrefix + Roles.Supervisor;
    public const string AdminOrAbove = RolePrefix + Roles.Admin;
    public const string Owner = RolePrefix + Roles.Owner;

    public static void AddAwaitHumanPolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(TenantCaller, policy => policy.RequireClaim(CallerClaims.TenantId));
        foreach (var scope in Scopes.All)
            options.AddPolicy(ScopePrefix + scope, policy => policy.RequireClaim(CallerClaims.TenantId).RequireClaim(CallerClaims.Scope, scope));

        options.AddPolicy(Person, policy => policy.RequireClaim(CallerClaims.TenantId).RequireClaim(CallerClaims.PersonId));
        foreach (var role in Roles.All)
            options.AddPolicy(RolePrefix + role, policy => policy
                .RequireClaim(CallerClaims.TenantId)
                .AddRequirements(new MinimumRoleRequirement(role)));
    }
}

/// <summary>A person of at least <see cref="Role"/>; a requirement of its own so a refusal can name the role.</summary>
public sealed class MinimumRoleRequirement(string role) : AuthorizationHandler<MinimumRoleRequirement>, IAuthorizationRequirement
{
    public string Role { get; } = role;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRoleRequirement requirement)
    {
        if (Roles.IsAtLeast(context.User.FindFirst(CallerClaims.Role)?.Value, requirement.Role)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
