using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Core.SingleSignOn;

/// <summary>
/// Who a person vouched for by the tenant's identity provider is: a member already, or, on their first
/// sign-in, a new person made a member with the connection's default role (Identity's tables and the
/// event store in one transaction).
/// </summary>
public sealed class SsoProvisioning(UserManager<Person> people, AccountsDbContext db, IDocumentStore store, ISeatCheck seats, TimeProvider clock)
{
    /// <summary>Fails with <see cref="SsoRefusals.ExistingAccount"/> as its message when the address has an account outside this tenant.</summary>
    public async Task<Outcome<Person>> PersonForAsync(Tenant tenant, SsoConnection connection, string email, string? name, Actor by, CancellationToken ct)
    {
        var person = await people.FindByEmailAsync(email);
        if (person is not null)
        {
            await using var query = store.QuerySession(tenant.TenantId);
            // The provider vouches for its own domains, not for an account someone made elsewhere:
            // joining this company from that account takes an invitation, which proves the mailbox.
            return await query.Query<Membership>().AnyAsync(m => m.PersonId == person.Id, ct)
                ? person
                : new Failure.Forbidden(SsoRefusals.ExistingAccount);
        }

        // A first sign-in takes a seat like an accepted invitation does.
        await using (var query = store.QuerySession(tenant.TenantId))
            if (await seats.RefuseOneMoreAsync(query, tenant.Id, "email", ct) is { } full)
                return full;

        var now = clock.GetUtcNow();
        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        // No password: this person signs in through the identity provider (or sets one with a reset code).
        person = new Person
        {
            Id = Guid.CreateVersion7(now), UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(name) ? email : name.Trim(), CreatedAt = now,
        };
        var created = await people.CreateAsync(person);
        if (!created.Succeeded) return Failure.Invalid.Of("email", string.Join(" ", created.Errors.Select(error => error.Description)));
        MemberRegistry.Add(transaction.SessionFor(store, tenant.TenantId), person.Id, email, connection.DefaultRole, by, now);
        await transaction.CommitAsync(ct);
        return person;
    }
}
