using Marten;

namespace AwaitHuman.Core.Escalations.Deadlines;

/// <summary>Scheduled (durably, in the outbox) when an agent gives a deadline; ends the escalation if it is still open then.</summary>
public sealed record TimeOutEscalation(Guid EscalationId);

public static class TimeOutEscalationHandler
{
    public static async Task Handle(TimeOutEscalation message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.FetchEscalationForExclusiveWritingAsync(message.EscalationId, ct);
        if (stream.Aggregate is null) return;
        stream.AppendMany(EscalationRules.TimeOut(stream.Aggregate, Outcomes.TimedOut, clock.GetUtcNow()).Events);
    }
}
