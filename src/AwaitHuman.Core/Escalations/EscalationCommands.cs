using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine;

namespace AwaitHuman.Core.Escalations;

/// <summary>
/// The shape every escalation command endpoint shares: load the stream locked for writing, decide,
/// append, answer with the escalation as it now is. Writers of one escalation (operators, the agent,
/// delivery reports, customer messages, timeouts) take turns on the stream's row lock for the few
/// milliseconds of a command, so each decides on the state the previous one left: two claims give
/// one owner and a 409 from the rules, and a delivery report landing meanwhile never fails a reply.
/// The caller is passed in rather than read from an HttpContext: the console's Blazor circuit has none.
/// </summary>
public static class EscalationCommands
{
    public const int MaxReasonLength = 2_000;

    /// <summary>The one rule for the free-text reason a cancel, rejection, decision or reopen may carry.</summary>
    public static string? ReasonProblem(string? reason) =>
        reason?.Length > MaxReasonLength ? $"The reason is at most {MaxReasonLength:N0} characters." : null;

    public static Task<IResult> RunAsync(IDocumentSession session, Guid id, Caller caller, Func<Escalation, Decision> decide, CancellationToken ct) =>
        RunAsync(session, id, caller, escalation => Task.FromResult(decide(escalation)), outbox: null, ct);

    /// <param name="outbox">
    /// For commands that message the customer: puts each routed operator message of the events into
    /// Wolverine's outbox, in the same transaction as its event (Channels does that, a floor above).
    /// </param>
    public static async Task<IResult> RunAsync(
        IDocumentSession session, Guid id, Caller caller, Func<Escalation, Task<Decision>> decide, Func<object[], Task>? outbox, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForExclusiveWritingAsync(id, ct);
        if (stream.Aggregate is null) return Problems.NotFound("escalation");

        var decision = await decide(stream.Aggregate);
        if (decision.Refusal is { } refusal) return ProblemOf(refusal);
        stream.AppendMany(decision.Events);
        if (outbox is not null) await outbox(decision.Events);
        return Results.Ok(EscalationView.Of(After(stream.Aggregate, decision.Events), caller));
    }

    public static IResult ProblemOf(Refusal refusal) => refusal.Status switch
    {
        StatusCodes.Status404NotFound => Results.Problem(statusCode: 404, title: "Not found", detail: refusal.Detail),
        StatusCodes.Status403Forbidden => Problems.Forbidden(refusal.Detail),
        _ => Results.Problem(statusCode: refusal.Status, title: refusal.Status == StatusCodes.Status409Conflict ? "Conflict" : "Cannot be done", detail: refusal.Detail,
            extensions: refusal.Owner is null ? null : new Dictionary<string, object?>
            {
                ["owner"] = new { type = EscalationOwner.Human, person_id = refusal.Owner.Id, name = refusal.Owner.Name },
                ["lease_expires_at"] = refusal.LeaseExpiresAt,
            }),
    };

    /// <summary>The state after <paramref name="events"/>, on a copy: the loaded aggregate stays as Marten read it.</summary>
    static Escalation After(Escalation escalation, object[] events)
    {
        var copy = escalation.Copy();
        foreach (var e in events) copy.Advance(e);
        copy.Version = escalation.Version + events.Length;
        return copy;
    }
}
