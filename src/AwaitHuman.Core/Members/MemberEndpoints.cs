using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Members;

public sealed record ChangeMemberRole(string? Role);

public sealed record MemberInfo(Guid Id, Guid PersonId, string Email, string Role, DateTimeOffset AddedAt);

public static class MemberEndpoints
{
    [WolverineGet("/v1/members", OperationId = "ListMembers")]
    [Authorize(Policy = Policies.MembersRead)]
    [Tags("Members")]
    [EndpointSummary("The tenant's people and their roles")]
    public static async Task<MemberInfo[]> List(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Membership>().OrderBy(m => m.Email).ToListAsync(ct)).Select(Info).ToArray();

    [WolverinePatch("/v1/members/{id}", OperationId = "ChangeMemberRole")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Changes a member's role")]
    public static async Task<IResult> ChangeRole(Guid id, ChangeMemberRole request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var membership = await session.LoadAsync<Membership>(id, ct);
        if (membership is null) return Problems.NotFound("member");

        var problem = RoleProblem(caller.Role, request.Role);
        if (problem is not null) return Problems.Invalid("role", problem);
        if (membership.Role == Roles.Owner && caller.Role != Roles.Owner) return Problems.Forbidden("Only an owner can change an owner's role.");
        if (membership.Role == request.Role) return Results.Ok(Info(membership));
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(session, membership, ct))
            return Problems.Conflict("The tenant's last owner cannot be demoted; make someone else owner first.", "role");

        session.Events.Append(id, new MemberRoleChanged(id, membership.PersonId, membership.Email, membership.Role, request.Role!, caller.AsActor(context), clock.GetUtcNow()));
        membership.Role = request.Role!;
        return Results.Ok(Info(membership));
    }

    [WolverineDelete("/v1/members/{id}", OperationId = "RemoveMember")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Removes a member; their sessions and tokens stop working in this tenant at once")]
    public static async Task<IResult> Remove(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var membership = await session.LoadAsync<Membership>(id, ct);
        if (membership is null) return Problems.NotFound("member");
        if (membership.Role == Roles.Owner && caller.Role != Roles.Owner) return Problems.Forbidden("Only an owner can remove an owner.");
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(session, membership, ct))
            return Problems.Conflict("The tenant's last owner cannot be removed.");

        session.Events.Append(id, new MemberRemoved(id, membership.PersonId, membership.Email, caller.AsActor(context), clock.GetUtcNow()));
        return Results.NoContent();
    }

    /// <summary>Machine credentials (no role) with members:manage may grant up to admin; people up to their own role.</summary>
    public static string? RoleProblem(string? callerRole, string? role) =>
        !Roles.IsKnown(role) ? $"The role is one of: {string.Join(", ", Roles.All)}."
        : Roles.Rank(role) > Roles.Rank(callerRole ?? Roles.Admin) ? $"You cannot grant a role above your own ({callerRole ?? "admin"})."
        : null;

    static async Task<bool> IsLastOwnerAsync(IQuerySession session, Membership membership, CancellationToken ct) =>
        !await session.Query<Membership>().AnyAsync(m => m.Role == Roles.Owner && m.Id != membership.Id, ct);

    static MemberInfo Info(Membership m) => new(m.Id, m.PersonId, m.Email, m.Role, m.AddedAt);
}
