using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Teams;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace AwaitHuman.Core.Assignment;

/// <summary>An escalation stopped taking someone's capacity, or came back needing a human.</summary>
/// <param name="Requeue">It waits for a human again (released, reopened): find someone for it too.</param>
public sealed record CapacityFreed(Guid EscalationId, Guid? PersonId, bool Requeue);

/// <summary>
/// Watches the escalation events that free an operator's capacity or put an escalation back in the
/// queue, after they commit, and has the waiting ones offered again. A Marten subscription that
/// Wolverine runs on one node; it starts from the present (old history has nothing left to drain).
/// </summary>
public sealed class CapacityFeed : BatchSubscription
{
    public const string Name = "assignment-capacity";

    public CapacityFeed() : base(Name)
    {
        IncludeType<EscalationReleased>();
        IncludeType<EscalationResolved>();
        IncludeType<ApprovalDecided>();
        IncludeType<EscalationCancelled>();
        IncludeType<EscalationTimedOut>();
        IncludeType<EscalationReopened>();
        Options.SubscribeFromPresent();
    }

    public override async Task ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
        {
            CapacityFreed? freed = e.Data switch
            {
                EscalationReleased x => new(x.EscalationId, PersonOf(x.Operator), true),
                EscalationReopened x => new(x.EscalationId, null, true),
                EscalationResolved x => new(x.EscalationId, PersonOf(x.HandBack.DecidedBy), false),
                ApprovalDecided x => new(x.EscalationId, PersonOf(x.HandBack.DecidedBy), false),
                EscalationCancelled x => new(x.EscalationId, null, false),
                EscalationTimedOut x => new(x.EscalationId, null, false),
                _ => null,
            };
            if (freed is not null) await bus.PublishAsync(freed, new DeliveryOptions { TenantId = e.TenantId });
        }
    }

    static Guid? PersonOf(Participant? participant) =>
        participant is { Kind: "person", Id: { } id } && Guid.TryParse(id, out var personId) ? personId : null;
}

public static class CapacityFreedHandler
{
    public static async Task Handle(CapacityFreed message, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        var escalation = await session.LoadAsync<Escalation>(message.EscalationId, ct);
        var teams = new HashSet<Guid>(escalation?.TeamIds ?? []);
        if (message.PersonId is { } personId)
            foreach (var team in await session.Query<Team>().Where(t => t.Members.Any(m => m.PersonId == personId)).Select(t => t.Id).ToListAsync(ct))
                teams.Add(team);
        if (message.Requeue && escalation?.TeamId is not null)
            await bus.PublishAsync(new AssignEscalation(message.EscalationId, "back in the queue"));
        if (teams.Count > 0) await bus.PublishAsync(new DrainTeamQueues([.. teams], "capacity freed up"));
    }
}
