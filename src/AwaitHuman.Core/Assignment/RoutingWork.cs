using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Teams;
using Marten;
using Wolverine;

namespace AwaitHuman.Core.Assignment;

/// <summary>The events, timers and messages of one routing or assignment step, applied to a copy of the escalation as they are decided.</summary>
/// <param name="mayWait">
/// Whether a decision may wait for a person another decision holds; when it may not and would have
/// to, nothing is assigned and <see cref="Deferred"/> says so.
/// </param>
public sealed class RoutingWork(IDocumentSession session, IMessageBus bus, Escalation loaded, bool mayWait = true)
{
    readonly List<object> _events = [];
    readonly List<(object Message, DateTimeOffset At)> _timers = [];
    readonly List<object> _messages = [];

    public IDocumentSession Session => session;

    /// <summary>The escalation with the events so far; the loaded one stays as Marten read it.</summary>
    public Escalation State { get; } = loaded.Copy();

    public IReadOnlyList<object> Events => _events;

    public int Count => _events.Count;

    /// <summary>Who the people this work notifies are told as: a rule's <c>notify</c> unless an SLA step says otherwise.</summary>
    public PeopleNotifications.NoticeKind NoticeKind { get; init; } = PeopleNotifications.NoticeKind.RoutingRule;

    /// <summary>Assignment would have had to wait for a person another decision holds, which this work may not.</summary>
    public bool Deferred { get; private set; }

    public void Add(object e)
    {
        _events.Add(e);
        State.Advance(e);
    }

    public void AddRange(IEnumerable<object> events)
    {
        foreach (var e in events) Add(e);
    }

    public void Schedule(object message, DateTimeOffset at) => _timers.Add((message, at));

    public void Publish(object message) => _messages.Add(message);

    public async Task AssignAsync(IReadOnlyList<Team> pool, IReadOnlyDictionary<string, int>? skills, DateTimeOffset now, CancellationToken ct, string? context = null)
    {
        var heldBy = loaded.Status == EscalationStatuses.WithHuman ? loaded.Operator?.Id : loaded.Offer?.Operator.Id;
        var decision = await Assigner.DecideAsync(session, State, heldBy, pool, skills, now, ct, context, mayWait);
        if (decision.WouldWait)
        {
            Deferred = true;
            return;
        }
        // Queued twice says nothing new.
        if (decision.Events is [EscalationQueued] && State.QueuedAt is not null) return;
        AddRange(decision.Events);
        for (var i = 0; i < decision.Timers.Length; i++) Schedule(decision.Timers[i], decision.TimerTimes[i]!.Value);
    }

    public async Task CommitAsync(JasperFx.Events.IEventStream<Escalation> stream)
    {
        if (_events.Count == 0) return;
        stream.AppendMany(_events);
        await SendAsync();
    }

    /// <summary>The timers, notices and messages of the events added, through the outbox, so they go out only if the events commit.</summary>
    public async Task SendAsync()
    {
        foreach (var (message, at) in _timers) await bus.ScheduleAsync(message, at);
        foreach (var notified in _events.OfType<PeopleNotified>().Where(e => e.PersonIds.Length > 0))
            await bus.PublishAsync(new PeopleNotifications.NotifyPeople(Guid.CreateVersion7(), notified.EscalationId, notified.PersonIds, notified.Why, NoticeKind));
        // The person routing or a transfer picked learns it by mail too, unless they turned that off.
        foreach (var assigned in _events.OfType<EscalationAssigned>())
            if (Guid.TryParse(assigned.Operator.Id, out var personId))
                await bus.PublishAsync(new PeopleNotifications.NotifyPeople(Guid.CreateVersion7(), assigned.EscalationId, [personId], assigned.Why, PeopleNotifications.NoticeKind.Assigned));
        foreach (var message in _messages) await bus.PublishAsync(message);
    }
}
