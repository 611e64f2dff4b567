using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;

namespace AwaitHuman.Core.Escalations;

/// <summary>
/// The shape every escalation command shares: load the stream locked for writing, decide, append,
/// answer with the escalation as it now is (or why not, with nothing appended). Writers of one
/// escalation (operators, the agent, delivery reports, customer messages, timeouts) take turns on the
/// stream's row lock for the few milliseconds of a command, so each decides on the state the previous
/// one left: two claims give one owner and a conflict from the rules, and a delivery report landing
/// meanwhile never fails a reply.
/// The caller is passed in rather than read from an HttpContext: the console's Blazor circuit has none.
/// </summary>
public static class EscalationCommands
{
    public const int MaxReasonLength = 2_000;

    /// <summary>The one rule for the free-text reason a cancel, rejection, decision or reopen may carry.</summary>
    public static string? ReasonProblem(string? reason) =>
        reason?.Length > MaxReasonLength ? $"The reason is at most {MaxReasonLength:N0} characters." : null;

    public static Task<Outcome<EscalationView>> RunAsync(IDocumentSession session, Guid id, Caller caller, Func<Escalation, Decision> decide, CancellationToken ct) =>
        RunAsync(session, id, caller, escalation => Task.FromResult(decide(escalation)), outbox: null, ct);

    /// <param name="outbox">
    /// For commands that message the customer: puts each routed operator message of the events into
    /// Wolverine's outbox, in the same transaction as its event (Channels does that, a floor above).
    /// </param>
    public static async Task<Outcome<EscalationView>> RunAsync(
        IDocumentSession session, Guid id, Caller caller, Func<Escalation, Task<Decision>> decide, Func<object[], Task>? outbox, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForExclusiveWritingAsync(id, ct);
        if (stream.Aggregate is null) return Failure.NotFound.Of("escalation");

        var decision = await decide(stream.Aggregate);
        if (decision.Refusal is { } refusal) return FailureOf(refusal);
        stream.AppendMany(decision.Events);
        if (outbox is not null) await outbox(decision.Events);
        return EscalationView.Of(After(stream.Aggregate, decision.Events), caller);
    }

    /// <summary>The decider's refusal as a use case's failure; its status reads as HTTP's.</summary>
    public static Failure FailureOf(Refusal refusal) => refusal.Status switch
    {
        404 => new Failure.NotFound(refusal.Detail),
        403 => new Failure.Forbidden(refusal.Detail),
        409 => new Failure.Conflict(refusal.Detail,
            HeldBy: refusal.Owner is { } owner ? new Holder(EscalationOwner.Human, owner.Id, owner.Name, refusal.LeaseExpiresAt) : null),
        _ => new Failure.CannotBeDone(refusal.Detail),
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
