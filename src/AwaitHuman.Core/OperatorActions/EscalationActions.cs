using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace AwaitHuman.Core.OperatorActions;

/// <summary>
/// The operator actions for callers without an HTTP request (the console's Blazor circuit). Each
/// action runs the same use case as the API in a session of the caller's tenant whose messages go
/// through Wolverine's outbox, and commits only when it succeeded, as the API does.
/// </summary>
public sealed class EscalationActions(OutboxedSessionFactory outbox, IWolverineRuntime runtime, ConnectorCatalog catalog, TimeProvider clock)
{
    public Task<Outcome<EscalationView>> ClaimAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.ClaimAsync(caller, id, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> ReleaseAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.ReleaseAsync(caller, id, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> ReplyAsync(Caller caller, Guid id, ReplyToCustomer request, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => OperatorActionUseCases.ReplyAsync(caller, id, request, session, bus, catalog, clock, ct), ct);

    public Task<Outcome<EscalationView>> NoteAsync(Caller caller, Guid id, AddNote request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.NoteAsync(caller, id, request, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> ApproveDraftAsync(Caller caller, Guid id, Guid draftId, ApproveDraft request, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => OperatorActionUseCases.ApproveAsync(caller, id, draftId, request, session, bus, catalog, clock, ct), ct);

    public Task<Outcome<EscalationView>> RejectDraftAsync(Caller caller, Guid id, Guid draftId, RejectDraft request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.RejectAsync(caller, id, draftId, request, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> DecideAsync(Caller caller, Guid id, DecideApproval request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.DecideAsync(caller, id, request, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> ResolveAsync(Caller caller, Guid id, ResolveEscalation request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.ResolveAsync(caller, id, request, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> ReopenAsync(Caller caller, Guid id, ReopenEscalation request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionUseCases.ReopenAsync(caller, id, request, session, clock, ct), ct);

    public Task<Outcome<EscalationView>> TransferAsync(Caller caller, Guid id, TransferEscalation request, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => AssignmentUseCases.TransferAsync(caller, id, request, session, bus, clock, ct), ct);

    public Task<Outcome<EscalationView>> AcceptOfferAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => AssignmentUseCases.AcceptAsync(caller, id, session, bus, clock, ct), ct);

    public Task<Outcome<EscalationView>> DeclineOfferAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => AssignmentUseCases.DeclineAsync(caller, id, session, bus, clock, ct), ct);

    async Task<Outcome<EscalationView>> RunAsync(Caller caller, Func<IDocumentSession, IMessageBus, Task<Outcome<EscalationView>>> act, CancellationToken ct)
    {
        // A message context of the caller's tenant, enlisted in the session: messages commit with the events.
        var bus = new MessageContext(runtime, caller.TenantId);
        await using var session = outbox.OpenSession(bus);
        var outcome = await act(session, bus);
        if (outcome.Succeeded) await session.SaveChangesAsync(ct);
        return outcome;
    }
}
