using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.PeopleNotifications;

public sealed record PersonNotificationView(Guid Id, Guid EscalationId, string? CustomerName, string? Summary, string Why, DateTimeOffset At, DateTimeOffset? ReadAt)
{
    public static PersonNotificationView Of(PersonNotification n) => new(n.Id, n.EscalationId, n.CustomerName, n.Summary, n.Why, n.At, n.ReadAt);
}

public static class PersonNotificationEndpoints
{
    const string Tag = "Operators";
    public const int Limit = 50;

    [WolverineGet("/v1/operators/me/notifications", OperationId = "ListMyNotifications")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Escalations you were told about (routing rules, SLA steps), newest first; unread only with unread=true")]
    [ProducesResponseType<ListPage<PersonNotificationView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(bool? unread, int? limit, string? cursor, IQuerySession session, HttpContext context, CancellationToken ct)
    {
        if (Caller.Of(context).PersonId is not { } personId) return Problems.Forbidden("Notifications belong to people.");
        return Paging.Refuse(limit, cursor, out var page, Paging.IsByTime) ?? Results.Ok(await PageAsync(session, personId, unread == true, page, ct));
    }

    [WolverinePost("/v1/operators/me/notifications/{id}/read", OperationId = "MarkMyNotificationRead")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Marks one of your notifications read")]
    [ProducesResponseType<PersonNotificationView>(StatusCodes.Status200OK)]
    public static async Task<IResult> MarkRead(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        if (Caller.Of(context).PersonId is not { } personId) return Problems.Forbidden("Notifications belong to people.");
        var notification = await MarkReadAsync(session, personId, id, clock.GetUtcNow(), ct);
        return notification is null ? Problems.NotFound("notification") : Results.Ok(PersonNotificationView.Of(notification));
    }

    /// <summary>A person's notifications in the session's tenant, newest first; the console lists them with this too.</summary>
    public static async Task<IReadOnlyList<PersonNotificationView>> OfAsync(IQuerySession session, Guid personId, bool unreadOnly, CancellationToken ct)
    {
        var query = session.Query<PersonNotification>().Where(n => n.PersonId == personId);
        if (unreadOnly) query = query.Where(n => n.ReadAt == null);
        var items = await query.OrderByDescending(n => n.At).Take(Limit).ToListAsync(ct);
        return [.. items.Select(PersonNotificationView.Of)];
    }

    /// <summary>One page of a person's notifications in the session's tenant, newest first.</summary>
    public static async Task<ListPage<PersonNotificationView>> PageAsync(IQuerySession session, Guid personId, bool unreadOnly, PageRequest page, CancellationToken ct)
    {
        var query = session.Query<PersonNotification>().Where(n => n.PersonId == personId);
        if (unreadOnly) query = query.Where(n => n.ReadAt == null);
        if (page.After is { } after && Paging.TryReadByTime(after, out var at, out var id)) query = query.Where(n => n.MatchesSql("(d.at, d.id) < (?, ?)", at, id));
        var rows = await query.OrderByDescending(n => n.At).ThenByDescending(n => n.Id).Take(page.Limit + 1).ToListAsync(ct);
        return Paging.Trim(rows, n => Paging.ByTime(n.At, n.Id), page).Select(PersonNotificationView.Of);
    }

    /// <summary>Marks it read if it is this person's in the session's tenant; null otherwise. The caller saves.</summary>
    public static async Task<PersonNotification?> MarkReadAsync(IDocumentSession session, Guid personId, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        var notification = await session.LoadAsync<PersonNotification>(id, ct);
        if (notification is null || notification.PersonId != personId) return null;
        if (notification.ReadAt is not null) return notification;
        notification.ReadAt = now;
        session.Store(notification);
        return notification;
    }
}
