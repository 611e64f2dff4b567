using AwaitHuman.Core.Security;
using Marten;

namespace AwaitHuman.Core.Members;

/// <summary>Membership changes shared by signup, the admin command line and the members API.</summary>
public static class MemberRegistry
{
    public static Guid Add(IDocumentSession session, Guid personId, string email, string role, Actor by, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        session.Events.StartStream<Membership>(id, new MemberAdded(id, personId, email, role, by, now));
        return id;
    }

    /// <summary>The person's memberships in every tenant: who they are is global, where they work is not.</summary>
    public static Task<IReadOnlyList<Membership>> OfPersonAcrossTenantsAsync(IQuerySession session, Guid personId, CancellationToken ct) =>
        session.Query<Membership>().Where(m => m.AnyTenant() && m.PersonId == personId).ToListAsync(ct);
}
