using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace AwaitHuman.Core.OperatorActions;

/// <summary>
/// Presence for the console's circuit: the same use case as <c>PUT /v1/operators/me/presence</c>, in a
/// session of the caller's tenant whose messages (reassignments, queue drains) go through the outbox.
/// </summary>
public sealed class PresenceActions(OutboxedSessionFactory outbox, IDocumentStore store, IWolverineRuntime runtime, TimeProvider clock)
{
    public async Task<Outcome<PresenceView>> SetAsync(Caller caller, string status, CancellationToken ct)
    {
        var bus = new MessageContext(runtime, caller.TenantId);
        await using var session = outbox.OpenSession(bus);
        var outcome = await PresenceUseCases.SetAsync(caller, new SetPresence(status), session, bus, clock, ct);
        if (outcome.Succeeded) await session.SaveChangesAsync(ct);
        return outcome;
    }

    public async Task<PresenceView> OfAsync(Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        return await PresenceUseCases.OfAsync(session, caller.PersonId!.Value, clock, ct);
    }
}
