using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Marten;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using Marten.Metadata;

namespace AwaitHuman.Portal.Components.Pages.Console.Inbox;

/// <summary>When a person last had an escalation open: the inbox marks rows that changed since as unread.</summary>
public sealed class ReadMark : ITenanted
{
    [JsonIgnore, AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    /// <summary>{person id}:{escalation id}.</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset SeenAt { get; set; }

    public static string IdOf(Guid personId, Guid escalationId) => $"{personId}:{escalationId}";

    public static async Task MarkSeenAsync(IDocumentStore store, string tenantId, Guid personId, Guid escalationId, DateTimeOffset at, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenantId);
        session.Store(new ReadMark { Id = IdOf(personId, escalationId), SeenAt = at });
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Unread: mine or nobody's, with a message recorded after the person last had it open. Both times are the server's:
    /// the agent's message times run on its own clock and, if ahead, would keep a row unread after opening it.
    /// </summary>
    public static bool IsUnread(EscalationSummary row, Guid personId, IReadOnlyDictionary<Guid, DateTimeOffset> marks) =>
        (row.OperatorId is null || row.OperatorId == personId.ToString())
        && (!marks.TryGetValue(row.Id, out var seen) || (row.LastMessageRecordedAt ?? row.LastMessageAt ?? row.CreatedAt) > seen);

    /// <summary>How many open escalations, mine or unassigned, have something the person has not seen (at most <paramref name="cap"/> looked at).</summary>
    public static async Task<int> CountUnreadAsync(IQuerySession session, Guid personId, CancellationToken ct, int cap = 500)
    {
        var me = personId.ToString();
        var open = await session.Query<EscalationSummary>()
            .Where(s => (s.Status == EscalationStatuses.WithHuman && s.OperatorId == me) || s.Status == EscalationStatuses.WaitingForHuman)
            .OrderByDescending(s => s.Id).Take(cap).ToListAsync(ct);
        var marks = await OfAsync(session, personId, open.Select(s => s.Id), ct);
        return open.Count(row => IsUnread(row, personId, marks));
    }

    /// <summary>The marks of these escalations for this person, by escalation id.</summary>
    public static async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> OfAsync(IQuerySession session, Guid personId, IEnumerable<Guid> escalations, CancellationToken ct)
    {
        var ids = escalations.Select(id => IdOf(personId, id)).ToArray();
        if (ids.Length == 0) return new Dictionary<Guid, DateTimeOffset>();
        var marks = await session.LoadManyAsync<ReadMark>(ct, ids);
        return marks.ToDictionary(mark => Guid.Parse(mark.Id[(mark.Id.IndexOf(':') + 1)..]), mark => mark.SeenAt);
    }
}
