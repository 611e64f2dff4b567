using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Wolverine.Http;

namespace AwaitHuman.Core.Members;

/// <summary>Adds a person by email; a new person gets an invitation mail to set their password, unless one is given.</summary>
public sealed record AddMember(string? Email, string? Role, string? Password);

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

    [WolverinePost("/v1/members", OperationId = "AddMember")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Adds a person to the tenant with a role")]
    public static async Task<IResult> Add(
        AddMember request, UserManager<Person> people, MemberOnboarding onboarding, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var email = request.Email?.Trim().ToLowerInvariant();
        var errors = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(email))
            .Check("role", RoleProblem(caller, request.Role));
        if (request.Password is not null)
            foreach (var problem in await PersonRules.PasswordProblemsAsync(people, request.Password)) errors.Check("password", problem);
        if (errors.Any) return errors.ToResult();

        var result = await onboarding.AddAsync(caller.TenantId, email!, request.Role!, request.Password, caller.AsActor(context), clock.GetUtcNow(), ct);
        return result.Failure is { } failure ? Problems.Of(failure) : Results.Created($"/v1/members/{result.Member!.Id}", result.Member);
    }

    [WolverinePatch("/v1/members/{id}", OperationId = "ChangeMemberRole")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Changes a member's role")]
    public static async Task<IResult> ChangeRole(Guid id, ChangeMemberRole request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var membership = await session.LoadAsync<Membership>(id, ct);
        if (membership is null) return Problems.NotFound("member");

        var problem = RoleProblem(caller, request.Role);
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

    /// <summary>Machine credentials with members:manage may grant up to admin; people up to their own role.</summary>
    static string? RoleProblem(Caller caller, string? role) =>
        !Roles.IsKnown(role) ? $"The role is one of: {string.Join(", ", Roles.All)}."
        : Roles.Rank(role) > Roles.Rank(caller.Role ?? Roles.Admin) ? $"You cannot grant a role above your own ({caller.Role ?? "admin"})."
        : null;

    static async Task<bool> IsLastOwnerAsync(IQuerySession session, Membership membership, CancellationToken ct) =>
        !await session.Query<Membership>().AnyAsync(m => m.Role == Roles.Owner && m.Id != membership.Id, ct);

    static MemberInfo Info(Membership m) => new(m.Id, m.PersonId, m.Email, m.Role, m.AddedAt);
}
