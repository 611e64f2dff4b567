using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Marten;
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

    /// <summary>The marks of these escalations for this person, by escalation id.</summary>
    public static async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> OfAsync(IQuerySession session, Guid personId, IEnumerable<Guid> escalations, CancellationToken ct)
    {
        var ids = escalations.Select(id => IdOf(personId, id)).ToArray();
        if (ids.Length == 0) return new Dictionary<Guid, DateTimeOffset>();
        var marks = await session.LoadManyAsync<ReadMark>(ct, ids);
        return marks.ToDictionary(mark => Guid.Parse(mark.Id[(mark.Id.IndexOf(':') + 1)..]), mark => mark.SeenAt);
    }
}
