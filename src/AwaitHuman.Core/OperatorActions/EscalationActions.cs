using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace AwaitHuman.Core.OperatorActions;

/// <summary>What the console shows after an action: the escalation as it now is, or why not.</summary>
/// <param name="Status">The HTTP status the API answers the same action with.</param>
/// <param name="Problem">The problem's detail (its title when it has none), e.g. "Anna owns this escalation."</param>
/// <param name="Errors">Validation messages by field, snake_case as in the API's request bodies.</param>
public sealed record ActionOutcome(EscalationView? View, int Status, string? Problem, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => View is not null;

    static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>Reads an endpoint's answer: the console and the API run the same functions.</summary>
    public static ActionOutcome Of(IResult result) => result switch
    {
        IValueHttpResult { Value: EscalationView view } => new(view, (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK, null, NoErrors),
        IValueHttpResult { Value: ProblemDetails problem } => new(null,
            problem.Status ?? (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status500InternalServerError,
            problem.Detail ?? problem.Title,
            problem is HttpValidationProblemDetails validation ? validation.Errors.AsReadOnly() : NoErrors),
        _ => throw new InvalidOperationException($"An operator action answered with {result.GetType().Name}, which the console cannot show."),
    };
}

/// <summary>
/// The operator actions for callers without an HTTP request (the console's Blazor circuit). Each
/// action runs the endpoint's own function in a session of the caller's tenant whose messages go
/// through Wolverine's outbox, and commits only when it succeeded, as the API does.
/// </summary>
public sealed class EscalationActions(OutboxedSessionFactory outbox, IWolverineRuntime runtime, ConnectorCatalog catalog, TimeProvider clock)
{
    public Task<ActionOutcome> ClaimAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.ClaimAsync(caller, id, session, clock, ct), ct);

    public Task<ActionOutcome> ReleaseAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.ReleaseAsync(caller, id, session, clock, ct), ct);

    public Task<ActionOutcome> ReplyAsync(Caller caller, Guid id, ReplyToCustomer request, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => OperatorActionEndpoints.ReplyAsync(caller, id, request, session, bus, catalog, clock, ct), ct);

    public Task<ActionOutcome> NoteAsync(Caller caller, Guid id, AddNote request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.NoteAsync(caller, id, request, session, clock, ct), ct);

    public Task<ActionOutcome> ApproveDraftAsync(Caller caller, Guid id, Guid draftId, ApproveDraft request, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => OperatorActionEndpoints.ApproveAsync(caller, id, draftId, request, session, bus, catalog, clock, ct), ct);

    public Task<ActionOutcome> RejectDraftAsync(Caller caller, Guid id, Guid draftId, RejectDraft request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.RejectAsync(caller, id, draftId, request, session, clock, ct), ct);

    public Task<ActionOutcome> DecideAsync(Caller caller, Guid id, DecideApproval request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.DecideAsync(caller, id, request, session, clock, ct), ct);

    public Task<ActionOutcome> ResolveAsync(Caller caller, Guid id, ResolveEscalation request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.ResolveAsync(caller, id, request, session, clock, ct), ct);

    public Task<ActionOutcome> ReopenAsync(Caller caller, Guid id, ReopenEscalation request, CancellationToken ct) =>
        RunAsync(caller, (session, _) => OperatorActionEndpoints.ReopenAsync(caller, id, request, session, clock, ct), ct);

    public Task<ActionOutcome> TransferAsync(Caller caller, Guid id, TransferEscalation request, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => AssignmentEndpoints.TransferAsync(caller, id, request, session, bus, clock, ct), ct);

    public Task<ActionOutcome> AcceptOfferAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => AssignmentEndpoints.AcceptAsync(caller, id, session, bus, clock, ct), ct);

    public Task<ActionOutcome> DeclineOfferAsync(Caller caller, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => AssignmentEndpoints.DeclineAsync(caller, id, session, bus, clock, ct), ct);

    async Task<ActionOutcome> RunAsync(Caller caller, Func<IDocumentSession, IMessageBus, Task<IResult>> act, CancellationToken ct)
    {
        // A message context of the caller's tenant, enlisted in the session: messages commit with the events.
        var bus = new MessageContext(runtime, caller.TenantId);
        await using var session = outbox.OpenSession(bus);
        var outcome = ActionOutcome.Of(await act(session, bus));
        if (outcome.Succeeded) await session.SaveChangesAsync(ct);
        return outcome;
    }
}
