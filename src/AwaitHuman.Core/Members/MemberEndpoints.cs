using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Sandbox;
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
        AddMember request, UserManager<Person> people, AccountsDbContext db, IDocumentStore store, IAccountMailer mailer, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        var email = request.Email?.Trim().ToLowerInvariant();
        var errors = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(email))
            .Check("role", RoleProblem(caller, request.Role));
        if (request.Password is not null)
            foreach (var problem in await PersonRules.PasswordProblemsAsync(people, request.Password)) errors.Check("password", problem);
        if (errors.Any) return errors.ToResult();

        var result = await AddAsync(people, db, store, mailer, caller.TenantId, email!, request.Role!, request.Password, caller.AsActor(context), clock.GetUtcNow(), ct);
        return result.Problem ?? Results.Created($"/v1/members/{result.Member!.Id}", result.Member);
    }

    /// <summary>Adds a member, creating the person if the address is new; shared with the admin command line.</summary>
    public static async Task<(IResult? Problem, MemberInfo? Member)> AddAsync(
        UserManager<Person> people, AccountsDbContext db, IDocumentStore store, IAccountMailer mailer,
        string tenantId, string email, string role, string? password, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var session = transaction.SessionFor(store, tenantId);

        var person = await people.FindByEmailAsync(email);
        if (person is not null && await session.Query<Membership>().AnyAsync(m => m.PersonId == person.Id, ct))
            return (Problems.Conflict($"{email} is already a member.", "email"), null);

        if (person is null)
        {
            // The address is vouched for by whoever adds the member; an invitation proves it again.
            person = new Person { Id = Guid.CreateVersion7(now), UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = now };
            var created = password is null ? await people.CreateAsync(person) : await people.CreateAsync(person, password);
            if (!created.Succeeded) return (Problems.Invalid("email", string.Join(" ", created.Errors.Select(error => error.Description))), null);
            if (password is null)
            {
                var code = PersonRules.EncodeCode(await people.GeneratePasswordResetTokenAsync(person));
                mailer.Send(session, new AccountMail(email, "You have been added to AwaitHuman",
                    $"{by.Name} added you as {role}. Choose your password with this code:\n\n{code}\n\n" +
                    "POST it to /v1/account/password-reset/confirm with your email and new_password.", "invitation", code));
            }
        }

        var id = MemberRegistry.Add(session, person.Id, email, role, by, now);
        await transaction.CommitAsync(ct);
        return (null, new MemberInfo(id, person.Id, email, role, now));
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
