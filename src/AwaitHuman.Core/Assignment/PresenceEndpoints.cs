using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Assignment;

/// <param name="Status">online, away or offline.</param>
public sealed record SetPresence(string? Status);

/// <param name="Status">What the person chose.</param>
/// <param name="Effective">What routing acts on: away or offline when heartbeats stopped.</param>
/// <param name="HeartbeatSeconds">Send the status again at least this often to stay online.</param>
public sealed record PresenceView(string Status, string Effective, DateTimeOffset? LastSeenAt, int HeartbeatSeconds);

public static class PresenceEndpoints
{
    const string Tag = "Operators";

    [WolverineGet("/v1/operators/me/presence", OperationId = "GetMyPresence")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Your presence in this tenant as routing sees it")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        if (Caller.Of(context).PersonId is not { } personId) return Problems.Forbidden("Presence belongs to people.");
        var presence = await session.LoadAsync<OperatorPresence>(personId, ct);
        return Results.Ok(View(presence, clock.GetUtcNow()));
    }

    [WolverinePut("/v1/operators/me/presence", OperationId = "SetMyPresence")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Sets your presence; send it as a heartbeat while the console is open")]
    [EndpointDescription("online: routing gives you work. away: no new work, you keep what you have. offline: what routing gave you goes to others. Without a heartbeat for 60 s you count as away, after 5 min as offline.")]
    [ProducesResponseType<PresenceView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Set(SetPresence request, IDocumentSession session, IMessageBus bus, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await PresenceUseCases.SetAsync(Caller.Of(context), request, session, bus, clock, ct));

    internal static PresenceView View(OperatorPresence? presence, DateTimeOffset now) =>
        new(presence?.Status ?? PresenceStatuses.Offline, OperatorPresence.Effective(presence, now), presence?.LastSeenAt, (int)(OperatorPresence.Grace.TotalSeconds / 2));
}

/// <summary>
/// Setting one's presence, for the API and the console (its availability switch and heartbeat): the
/// caller commits the session when the outcome succeeded.
/// </summary>
public static class PresenceUseCases
{
    public static async Task<Outcome<PresenceView>> SetAsync(Caller caller, SetPresence request, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        if (caller.PersonId is not { } personId) return new Failure.Forbidden("Presence belongs to people.");
        if (request.Status is null || !PresenceStatuses.All.Contains(request.Status))
            return Failure.Invalid.Of("status", $"The status is one of {string.Join(", ", PresenceStatuses.All)}.");

        var now = clock.GetUtcNow();
        var presence = await session.LoadAsync<OperatorPresence>(personId, ct) ?? new OperatorPresence { Id = personId };
        var before = OperatorPresence.Effective(presence, now);
        if (presence.Status != request.Status) presence.ChangedAt = now;
        presence.Status = request.Status;
        presence.LastSeenAt = now;

        if (request.Status == PresenceStatuses.Offline && before != PresenceStatuses.Offline)
            await bus.PublishAsync(new ReassignWorkOf(personId, $"{caller.Name} went offline"));
        if (request.Status == PresenceStatuses.Online && before != PresenceStatuses.Online)
        {
            var teams = await session.Query<Team>().Where(t => t.Members.Any(m => m.PersonId == personId)).Select(t => t.Id).ToListAsync(ct);
            if (teams.Count > 0) await bus.PublishAsync(new DrainTeamQueues([.. teams], $"{caller.Name} came online"));
        }
        if (request.Status != PresenceStatuses.Offline && presence.CheckDueAt is null)
        {
            presence.CheckDueAt = now + OperatorPresence.OfflineAfter + TimeSpan.FromSeconds(1);
            await bus.ScheduleAsync(new CheckPresence(personId), presence.CheckDueAt.Value);
        }
        session.Store(presence);
        return PresenceEndpoints.View(presence, now);
    }

    /// <summary>The person's presence as routing sees it now.</summary>
    public static async Task<PresenceView> OfAsync(IQuerySession session, Guid personId, TimeProvider clock, CancellationToken ct) =>
        PresenceEndpoints.View(await session.LoadAsync<OperatorPresence>(personId, ct), clock.GetUtcNow());
}
