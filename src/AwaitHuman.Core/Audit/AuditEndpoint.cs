using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using CsvHelper;
using CsvHelper.Configuration;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Audit;

/// <summary>One line of the audit trail: a security event of the caller's tenant.</summary>
public sealed record AuditEntry(long Sequence, string Action, string Subject, Actor Actor, DateTimeOffset At);

/// <summary>Which entries to show; every part is optional and they combine.</summary>
/// <param name="Actor">Part of the actor's name (an email, a key's name), or their id exactly; any case.</param>
/// <param name="Action">An action (<c>api_key.revoked</c>) or its group (<c>api_key</c>).</param>
/// <param name="From">Entries at or after this moment.</param>
/// <param name="To">Entries before this moment.</param>
public sealed record AuditFilter(string? Actor = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>
/// The audit trail is the event store itself: every <see cref="ISecurityEvent"/> of the tenant, in
/// the order the database sequenced them, so nothing can be missing from it. The API, the audit page
/// and the CSV export read it through these functions.
/// </summary>
public static partial class AuditTrail
{
    /// <summary>Events read per round trip while looking for the entries that pass a filter.</summary>
    const int Batch = 500;

    static readonly Type[] SecurityEventTypes = typeof(ISecurityEvent).Assembly.GetTypes()
        .Where(type => type.IsClass && typeof(ISecurityEvent).IsAssignableFrom(type))
        .ToArray();

    /// <summary>
    /// The actions the trail records, for suggestions: each event type's action as an empty instance
    /// names it (an action that depends on the event's data shows one of its values).
    /// </summary>
    public static IReadOnlyList<string> KnownActions { get; } = SecurityEventTypes
        .Select(type =>
        {
            try { return ((ISecurityEvent)RuntimeHelpers.GetUninitializedObject(type)).AuditAction; }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException) { return null; }
        })
        .OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"^[a-z_]+(?:\.[a-z_]+)?$")]
    private static partial Regex ActionPattern();

    public static Problems.Errors ProblemsOf(AuditFilter filter) => new Problems.Errors()
        .Check("actor", filter.Actor is { Length: > 200 } ? "The actor is at most 200 characters." : null)
        .Check("action", filter.Action is { } action && !ActionPattern().IsMatch(action) ? "An action is a dotted name such as api_key.revoked, or its group such as api_key." : null)
        .Check("to", filter is { From: { } from, To: { } to } && to <= from ? "The end of the period comes after its start." : null);

    /// <summary>One page of the entries that pass the filter, newest first, in the list envelope every list answers.</summary>
    /// <param name="cursor">The previous page's <c>next_cursor</c>.</param>
    public static async Task<Outcome<ListPage<AuditEntry>>> PageAsync(IQuerySession session, AuditFilter filter, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = ProblemsOf(filter);
        var page = Paging.Read(errors, limit, cursor, Paging.IsNumber);
        if (errors.Any) return errors.ToFailure();

        var before = page.After is { } after ? long.Parse(after, CultureInfo.InvariantCulture) : long.MaxValue;
        var entries = new List<AuditEntry>(page.Limit + 1);
        await foreach (var entry in MatchingAsync(session, filter, before, ct))
        {
            entries.Add(entry);
            if (entries.Count > page.Limit) break;
        }
        return Paging.Trim(entries, entry => Paging.ByNumber(entry.Sequence), page);
    }

    /// <summary>Every entry that passes the filter, newest first, read in batches as they are consumed.</summary>
    public static async IAsyncEnumerable<AuditEntry> MatchingAsync(IQuerySession session, AuditFilter filter, long before, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var batchBefore = before;
            var events = await session.Events.QueryAllRawEvents()
                .Where(e => e.EventTypesAre(SecurityEventTypes) && e.Sequence < batchBefore)
                .OrderByDescending(e => e.Sequence)
                .Take(Batch)
                .ToListAsync(ct);
            foreach (var e in events)
                if (EntryOf(e) is var entry && Passes(filter, entry)) yield return entry;
            if (events.Count < Batch) yield break;
            before = events[^1].Sequence;
        }
    }

    /// <summary>
    /// The filtered entries as CSV (RFC 4180, UTF-8 with a byte order mark so spreadsheets read accents),
    /// newest first. Cells that a spreadsheet would run as a formula (=, +, -, @ first) are escaped.
    /// </summary>
    public static async Task WriteCsvAsync(IQuerySession session, AuditFilter filter, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
        foreach (var header in new[] { "sequence", "at", "action", "subject", "actor_kind", "actor_id", "actor_name", "source_ip" }) csv.WriteField(header);
        await csv.NextRecordAsync();
        await foreach (var entry in MatchingAsync(session, filter, long.MaxValue, ct))
        {
            csv.WriteField(entry.Sequence.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(entry.At.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(entry.Action);
            csv.WriteField(entry.Subject);
            csv.WriteField(entry.Actor.Kind);
            csv.WriteField(entry.Actor.Id ?? "");
            csv.WriteField(entry.Actor.Name);
            csv.WriteField(entry.Actor.SourceIp ?? "");
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    static AuditEntry EntryOf(IEvent e)
    {
        var data = (ISecurityEvent)e.Data;
        return new AuditEntry(e.Sequence, data.AuditAction, data.AuditSubject, data.By, data.At);
    }

    static bool Passes(AuditFilter filter, AuditEntry entry) =>
        (filter.From is not { } from || entry.At >= from)
        && (filter.To is not { } to || entry.At < to)
        && (filter.Action is not { } action || entry.Action == action || entry.Action.StartsWith(action + ".", StringComparison.Ordinal))
        && (string.IsNullOrWhiteSpace(filter.Actor)
            || entry.Actor.Name.Contains(filter.Actor.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry.Actor.Id, filter.Actor.Trim(), StringComparison.OrdinalIgnoreCase));
}

public static class AuditEndpoint
{
    [WolverineGet("/v1/audit", OperationId = "ListAuditEntries")]
    [Authorize(Policy = Policies.AuditRead)]
    [Tags("Audit")]
    [EndpointSummary("The tenant's security audit trail, newest first, filtered by actor, action and period; pass next_cursor back as cursor for older entries")]
    [ProducesResponseType<ListPage<AuditEntry>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? cursor, int? limit, string? actor, string? action, DateTimeOffset? from, DateTimeOffset? to, IQuerySession session, CancellationToken ct) =>
        Problems.Of(await AuditTrail.PageAsync(session, new AuditFilter(actor, action, from, to), cursor, limit, ct));

    [WolverineGet("/v1/audit/export", OperationId = "ExportAuditEntries")]
    [Authorize(Policy = Policies.AuditRead)]
    [Tags("Audit")]
    [EndpointSummary("The filtered audit trail as a CSV download, newest first (the same filters as the list, without paging)")]
    [Produces("text/csv")]
    public static IResult Export(string? actor, string? action, DateTimeOffset? from, DateTimeOffset? to, IDocumentStore store, HttpContext context, TimeProvider clock)
    {
        var filter = new AuditFilter(actor, action, from, to);
        var errors = AuditTrail.ProblemsOf(filter);
        if (errors.Any) return errors.ToResult();
        var caller = Caller.Of(context);
        // The rows are written while the response streams, after the endpoint returned: the session is the download's own.
        return Results.Stream(async output =>
        {
            await using var session = store.QuerySession(caller.TenantId);
            await AuditTrail.WriteCsvAsync(session, filter, output, context.RequestAborted);
        }, "text/csv; charset=utf-8", $"audit-{caller.TenantSlug}-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv");
    }
}
