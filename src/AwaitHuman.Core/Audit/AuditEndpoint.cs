using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Audit;

/// <summary>One line of the audit trail: a security event of the caller's tenant.</summary>
public sealed record AuditEntry(long Sequence, string Action, string Subject, Actor Actor, DateTimeOffset At);

/// <summary>
/// The audit trail is the event store itself: every <see cref="ISecurityEvent"/> of the tenant, in
/// the order the database sequenced them, so nothing can be missing from it.
/// </summary>
public static class AuditEndpoint
{
    static readonly Type[] SecurityEventTypes = typeof(ISecurityEvent).Assembly.GetTypes()
        .Where(type => type.IsClass && typeof(ISecurityEvent).IsAssignableFrom(type))
        .ToArray();

    [WolverineGet("/v1/audit", OperationId = "ListAuditEntries")]
    [Authorize(Policy = Policies.AuditRead)]
    [Tags("Audit")]
    [EndpointSummary("The tenant's security audit trail, newest first; pass next_cursor back as cursor for older entries")]
    [ProducesResponseType<ListPage<AuditEntry>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? cursor, int? limit, IQuerySession session, CancellationToken ct)
    {
        if (Paging.Refuse(limit, cursor, out var page, Paging.IsNumber) is { } refused) return refused;
        var before = page.After is { } after ? long.Parse(after) : long.MaxValue;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(SecurityEventTypes) && e.Sequence < before)
            .OrderByDescending(e => e.Sequence)
            .Take(page.Limit + 1)
            .ToListAsync(ct);

        var entries = events.Select(e => (e, (ISecurityEvent)e.Data))
            .Select(pair => new AuditEntry(pair.e.Sequence, pair.Item2.AuditAction, pair.Item2.AuditSubject, pair.Item2.By, pair.Item2.At))
            .ToArray();
        return Results.Ok(Paging.Trim(entries, entry => Paging.ByNumber(entry.Sequence), page));
    }
}
