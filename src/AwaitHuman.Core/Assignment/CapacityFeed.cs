using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Teams;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace AwaitHuman.Core.Assignment;

/// <summary>An escalation stopped taking someone's capacity, or came back needing a human.</summary>
/// <param name="Requeue">It waits for a human again (released, reopened): find someone for it too.</param>
public sealed record CapacityFreed(Guid EscalationId, Guid? PersonId, bool Requeue);

/// <summary>
/// Watches the escalation events that free an operator's capacity or put an escalation back in the
/// queue, after they commit, and has the waiting ones offered again. A Marten subscription that
/// runs on one node at a time. In a new database it starts where <see cref="CapacityFeedStart"/>
/// pinned it, so history from before the feed existed is not drained.
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
        Options.SubscribeFromFirstRun();
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

/// <summary>
/// Pins where the feed starts when a node starts, before it takes requests. Left to the feed's own
/// first run, the start would be wherever the event head is once a node gets round to starting
/// it, seconds later, and a release in those seconds would never be offered again. Only the first
/// pin in a database counts; later starts keep it.
/// </summary>
public sealed class CapacityFeedStart : IInitialData
{
    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        // Marten's database is also the event database that keeps projection floors.
        var database = (IEventDatabase)store.Storage.Database;
        var head = await database.FetchHighestEventSequenceNumber(cancellation);
        await database.TrySetProjectionFloorAsync(CapacityFeed.Name, null, head, cancellation);
    }
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
