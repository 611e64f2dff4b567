using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Core.Members;

/// <summary>
/// Adds a person to a tenant, creating the person if the address is new (Identity's tables and the
/// event store in one transaction); for the members API, the admin command line and the demo tenant.
/// </summary>
public sealed class MemberOnboarding(UserManager<Person> people, AccountsDbContext db, IDocumentStore store, IAccountMailer mailer)
{
    public async Task<(Failure? Failure, MemberInfo? Member)> AddAsync(
        string tenantId, string email, string role, string? password, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        var session = transaction.SessionFor(store, tenantId);

        var person = await people.FindByEmailAsync(email);
        if (person is not null && await session.Query<Membership>().AnyAsync(m => m.PersonId == person.Id, ct))
            return (new Failure.Conflict($"{email} is already a member.", "email"), null);

        if (person is null)
        {
            // The address is vouched for by whoever adds the member; an invitation proves it again.
            person = new Person { Id = Guid.CreateVersion7(now), UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = now };
            var created = password is null ? await people.CreateAsync(person) : await people.CreateAsync(person, password);
            if (!created.Succeeded) return (Failure.Invalid.Of("email", string.Join(" ", created.Errors.Select(error => error.Description))), null);
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
}
