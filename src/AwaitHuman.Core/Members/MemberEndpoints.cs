using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Members;

public sealed record ChangeMemberRole(string? Role);

public sealed record MemberInfo(Guid Id, Guid PersonId, string Email, string Role, DateTimeOffset AddedAt)
{
    public static MemberInfo Of(Membership m) => new(m.Id, m.PersonId, m.Email, m.Role, m.AddedAt);
}

public static class MemberEndpoints
{
    [WolverineGet("/v1/members", OperationId = "ListMembers")]
    [Authorize(Policy = Policies.MembersRead)]
    [Tags("Members")]
    [EndpointSummary("The tenant's people and their roles, by email")]
    [ProducesResponseType<ListPage<MemberInfo>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await List(session, ct), member => Paging.ByName(member.Email, member.Id), page));

    /// <summary>The tenant's members, by email.</summary>
    public static async Task<MemberInfo[]> List(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Membership>().OrderBy(m => m.Email).ToListAsync(ct)).Select(MemberInfo.Of).ToArray();

    [WolverinePatch("/v1/members/{id}", OperationId = "ChangeMemberRole")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Changes a member's role")]
    public static async Task<IResult> ChangeRole(Guid id, ChangeMemberRole request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await MemberUseCases.ChangeRoleAsync(caller.Role, caller.AsActor(context), id, request, session, clock, ct));
    }

    [WolverineDelete("/v1/members/{id}", OperationId = "RemoveMember")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Removes a member; their sessions and tokens stop working in this tenant at once")]
    [EndpointDescription("The escalations they hold or are offered go back to their teams' queues (each as an event on the escalation), and they leave every team.")]
    public static async Task<IResult> Remove(Guid id, IDocumentSession session, IMessageBus bus, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await MemberUseCases.RemoveAsync(caller.Role, caller.AsActor(context), id, session, bus, clock, ct), _ => Results.NoContent());
    }

    /// <summary>Machine credentials (no role) with members:manage may grant up to admin; people up to their own role.</summary>
    public static string? RoleProblem(string? callerRole, string? role) =>
        !Roles.IsKnown(role) ? $"The role is one of: {string.Join(", ", Roles.All)}."
        : Roles.Rank(role) > Roles.Rank(callerRole ?? Roles.Admin) ? $"You cannot grant a role above your own ({callerRole ?? "admin"})."
        : null;
}

/// <summary>
/// Changing a member's role and removing a member, for the members API and the members page: nothing
/// is committed here, the caller commits the session when the outcome succeeded.
/// </summary>
public static class MemberUseCases
{
    /// <param name="callerRole">The acting person's role, or null for a machine credential (which grants up to admin).</param>
    public static async Task<Outcome<MemberInfo>> ChangeRoleAsync(
        string? callerRole, Actor by, Guid id, ChangeMemberRole request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var membership = await session.LoadAsync<Membership>(id, ct);
        if (membership is null) return Failure.NotFound.Of("member");

        if (MemberEndpoints.RoleProblem(callerRole, request.Role) is { } problem) return Failure.Invalid.Of("role", problem);
        if (membership.Role == Roles.Owner && callerRole != Roles.Owner) return new Failure.Forbidden("Only an owner can change an owner's role.");
        if (membership.Role == request.Role) return MemberInfo.Of(membership);
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(session, membership, ct))
            return new Failure.Conflict("The tenant's last owner cannot be demoted; make someone else owner first.", "role");

        session.Events.Append(id, new MemberRoleChanged(id, membership.PersonId, membership.Email, membership.Role, request.Role!, by, clock.GetUtcNow()));
        membership.Role = request.Role!;
        return MemberInfo.Of(membership);
    }

    /// <summary>
    /// Ends the membership and publishes the <see cref="MemberRemoved"/> event through the outbox, so
    /// that routing (a floor above) takes the person out of their teams and gives their escalations
    /// back to the queue once the removal has committed.
    /// </summary>
    public static async Task<Outcome<MemberInfo>> RemoveAsync(
        string? callerRole, Actor by, Guid id, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var membership = await session.LoadAsync<Membership>(id, ct);
        if (membership is null) return Failure.NotFound.Of("member");
        if (membership.Role == Roles.Owner && callerRole != Roles.Owner) return new Failure.Forbidden("Only an owner can remove an owner.");
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(session, membership, ct))
            return new Failure.Conflict("The tenant's last owner cannot be removed.");

        var removed = new MemberRemoved(id, membership.PersonId, membership.Email, by, clock.GetUtcNow());
        session.Events.Append(id, removed);
        await bus.PublishAsync(removed);
        return MemberInfo.Of(membership);
    }

    static async Task<bool> IsLastOwnerAsync(IQuerySession session, Membership membership, CancellationToken ct) =>
        !await session.Query<Membership>().AnyAsync(m => m.Role == Roles.Owner && m.Id != membership.Id, ct);
}
