using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Billing.Seats;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Infrastructure.Identity;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace AwaitHuman.Core.Onboarding.Invitations;

/// <param name="Password">Refused: the invited person chooses their own password when they accept.</param>
public sealed record InviteMember(string? Email, string? Role, string? Password = null);

/// <param name="Name">How the new person is shown (their email when left out); for a new account only.</param>
/// <param name="Password">The new account's password; a person who has an account signs in instead.</param>
public sealed record AcceptInvitation(string? Token, string? Name, string? Password);

/// <summary>A pending invitation as the members API and page show it: never whether the address has an account.</summary>
public sealed record InvitationInfo(Guid Id, string Email, string Role, string Status, DateTimeOffset InvitedAt, string InvitedBy, DateTimeOffset ExpiresAt)
{
    public static InvitationInfo Of(Invitation invitation) =>
        new(invitation.Id, invitation.Email, invitation.Role, "pending", invitation.InvitedAt, invitation.InvitedBy, invitation.ExpiresAt);
}

/// <summary>What the accept page shows the holder of a link (who received it by mail, so may learn whether they have an account).</summary>
public sealed record InvitationPreview(string TenantName, string TenantSlug, string Email, string Role, string InvitedBy, bool HasAccount);

public sealed record AcceptedInvitation(string TenantSlug, string TenantName, string Role, Guid MembershipId, Person Person);

/// <summary>
/// Inviting people by email, for the members API and the members page: an invitation becomes a
/// membership only when the person accepts it from the mailed link, whether or not they already
/// have an account (an admin of one tenant never adds a person of another without their consent).
/// </summary>
public sealed class MemberInvitations(
    UserManager<Person> people, AccountsDbContext db, IDocumentStore store, IAccountMailer mailer, PublicUrls urls, SeatLimits seats, TimeProvider clock)
{
    public const string AcceptPath = "/account/invitation";

    const string UnusableLink = "This invitation link is not valid: it was revoked, replaced by a newer one, already used, or has expired. Ask for a new one.";

    /// <param name="callerRole">The inviting person's role, or null for a machine credential (which grants up to admin).</param>
    public async Task<Outcome<InvitationInfo>> InviteAsync(string tenantId, string? callerRole, InviteMember request, Actor by, CancellationToken ct)
    {
        var email = request.Email?.Trim().ToLowerInvariant();
        var errors = new Problems.Errors()
            .Check("email", PersonRules.EmailProblem(email))
            .Check("role", MemberEndpoints.RoleProblem(callerRole, request.Role))
            .Check("password", request.Password is not null ? "The invited person chooses their own password when they accept the invitation." : null);
        if (errors.Any) return errors.ToFailure();

        await using var session = store.LightweightSession(tenantId);
        // Only this tenant's own rows are read: whether the address has an account elsewhere is never looked up here.
        if (await session.Query<Membership>().AnyAsync(m => m.Email == email, ct))
            return new Failure.Conflict($"{email} is already a member.", "email");
        if (await session.Query<Invitation>().AnyAsync(i => i.Email == email, ct))
            return new Failure.Conflict($"{email} is already invited; resend or revoke that invitation.", "email");

        var now = clock.GetUtcNow();
        // A pending invitation holds a seat, so accepting it does not find the seats gone; an expired one does not.
        if (await seats.OfAsync(session, Guid.Parse(tenantId), ct) is { } limit
            && limit.RefuseOneMore(
                await session.Query<Membership>().CountAsync(ct), await session.Query<Invitation>().CountAsync(i => i.ExpiresAt > now, ct), "email") is { } full)
            return full;

        var token = Secrets.New(Invitation.TokenPrefix);
        var invited = new MemberInvited(Guid.CreateVersion7(now), email!, request.Role!, Secrets.Hash(token), now + Invitation.Lifetime, by, now);
        session.Events.StartStream<Invitation>(invited.InvitationId, invited);
        await MailAsync(session, tenantId, email!, request.Role!, by, token, ct);
        await session.SaveChangesAsync(ct);
        return InvitationInfo.Of(Invitation.Create(invited));
    }

    public async Task<IReadOnlyList<InvitationInfo>> PendingAsync(string tenantId, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        return (await session.Query<Invitation>().OrderBy(i => i.Email).ToListAsync(ct)).Select(InvitationInfo.Of).ToList();
    }

    /// <summary>Mails a new link valid for another <see cref="Invitation.Lifetime"/>; the previous link stops working.</summary>
    public async Task<Outcome<InvitationInfo>> ResendAsync(string tenantId, Guid id, Actor by, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenantId);
        var invitation = await session.LoadAsync<Invitation>(id, ct);
        if (invitation is null) return Failure.NotFound.Of("invitation");

        var now = clock.GetUtcNow();
        var token = Secrets.New(Invitation.TokenPrefix);
        var resent = new InvitationResent(id, invitation.Email, Secrets.Hash(token), now + Invitation.Lifetime, by, now);
        session.Events.Append(id, resent);
        await MailAsync(session, tenantId, invitation.Email, invitation.Role, by, token, ct);
        await session.SaveChangesAsync(ct);
        invitation.Apply(resent);
        return InvitationInfo.Of(invitation);
    }

    public async Task<Outcome<InvitationInfo>> RevokeAsync(string tenantId, Guid id, Actor by, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenantId);
        var invitation = await session.LoadAsync<Invitation>(id, ct);
        if (invitation is null) return Failure.NotFound.Of("invitation");
        session.Events.Append(id, new InvitationRevoked(id, invitation.Email, by, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return InvitationInfo.Of(invitation);
    }

    /// <summary>The invitation a link names, for the accept page; a failure when the link cannot be used.</summary>
    public async Task<Outcome<InvitationPreview>> PreviewAsync(string? token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        if (found is not var (invitation, tenant)) return Failure.Invalid.Of("token", UnusableLink);
        return new InvitationPreview(tenant.Name, tenant.Slug, invitation.Email, invitation.Role, invitation.InvitedBy,
            await people.FindByEmailAsync(invitation.Email) is not null);
    }

    /// <summary>
    /// Turns the invitation into a membership. Someone new sets their password here (the link came
    /// to their address, which proves it); someone who has an account must be signed in as that person.
    /// </summary>
    /// <param name="signedInPersonId">The person the request is signed in as, if any.</param>
    public async Task<Outcome<AcceptedInvitation>> AcceptAsync(AcceptInvitation request, Guid? signedInPersonId, string? sourceIp, CancellationToken ct)
    {
        var found = await FindAsync(request.Token, ct);
        if (found is not var (invitation, tenant)) return Failure.Invalid.Of("token", UnusableLink);

        var person = await people.FindByEmailAsync(invitation.Email);
        if (person is not null && person.Id != signedInPersonId)
            return new Failure.Forbidden($"This invitation is for {invitation.Email}, who already has an account: sign in as {invitation.Email} to accept it.");
        if (person is null)
        {
            var errors = new Problems.Errors().Check("name", PersonRules.DisplayNameProblem(request.Name));
            foreach (var problem in await PersonRules.PasswordProblemsAsync(people, request.Password)) errors.Check("password", problem);
            if (errors.Any) return errors.ToFailure();
        }

        var now = clock.GetUtcNow();
        await using var transaction = await AccountsTransaction.BeginAsync(db, ct);
        if (person is null)
        {
            person = new Person
            {
                Id = Guid.CreateVersion7(now), UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true,
                DisplayName = string.IsNullOrWhiteSpace(request.Name) ? invitation.Email : request.Name.Trim(), CreatedAt = now,
            };
            var created = await people.CreateAsync(person, request.Password!);
            if (!created.Succeeded) return Failure.Invalid.Of("password", string.Join(" ", created.Errors.Select(error => error.Description)));
        }

        var session = transaction.SessionFor(store, tenant.TenantId);
        if (await session.Query<Membership>().AnyAsync(m => m.PersonId == person.Id, ct))
            return new Failure.Conflict($"{invitation.Email} is already a member of {tenant.Name}.");
        // The seats may have shrunk since the invitation (a subscription cancelled back to Free).
        if (await seats.RefuseOneMoreAsync(session, tenant.Id, "token", ct) is { } full)
            return full;
        var by = new Actor("person", person.Id.ToString(), invitation.Email, sourceIp);
        var membershipId = MemberRegistry.Add(session, person.Id, invitation.Email, invitation.Role, by, now);
        session.Events.Append(invitation.Id, new InvitationAccepted(invitation.Id, invitation.Email, person.Id, membershipId, by, now));
        try
        {
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (PersonRules.IsUniqueViolation(e))
        {
            // Accepted twice at once: the other acceptance holds the membership; nothing of this one was kept.
            return new Failure.Conflict($"{invitation.Email} is already a member of {tenant.Name}.");
        }
        return new AcceptedInvitation(tenant.Slug, tenant.Name, invitation.Role, membershipId, person);
    }

    async Task<(Invitation, Tenant)?> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || !token.StartsWith(Invitation.TokenPrefix, StringComparison.Ordinal)) return null;
        var hash = Secrets.Hash(token.Trim());
        await using var query = store.QuerySession();
        var invitation = await query.Query<Invitation>().Where(i => i.AnyTenant() && i.TokenHash == hash).FirstOrDefaultAsync(ct);
        if (invitation is null || invitation.ExpiresAt <= clock.GetUtcNow()) return null;
        var tenant = await query.FindByIdAcrossTenantsAsync(Guid.Parse(invitation.TenantId), ct);
        return tenant is { Status: TenantStatus.Active } ? (invitation, tenant) : null;
    }

    /// <summary>The same mail whether or not the address has an account: the accept page asks for what it needs.</summary>
    async Task MailAsync(IDocumentSession session, string tenantId, string email, string role, Actor by, string token, CancellationToken ct)
    {
        var tenant = await session.LoadAsync<Tenant>(Guid.Parse(tenantId), ct);
        var link = new Uri(urls.BaseUrl, $"{AcceptPath.TrimStart('/')}?token={token}");
        mailer.Send(session, new AccountMail(email, $"Join {tenant?.Name} on AwaitHuman",
            $"{by.Name} invited you to join {tenant?.Name} on AwaitHuman as {role}.\n\nAccept the invitation within {Invitation.Lifetime.Days} days: {link}\n\n" +
            "If you did not expect it, ignore this mail; nothing happens until you accept.", "invitation", token));
    }
}
