using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace AwaitHuman.Core.Teams;

/// <summary>
/// The teams page's changes (a Blazor circuit has no request): the same use cases as the teams API,
/// on the team's stream fetched for writing in a session of the caller's tenant, committed only when
/// the use case succeeded.
/// </summary>
public sealed class TeamAdministration(IDocumentStore store, ITeamReferences references, TimeProvider clock)
{
    public Task<Outcome<Team>> CreateAsync(Caller caller, Actor by, TeamInput request, CancellationToken ct) =>
        RunAsync(caller, session => TeamUseCases.CreateAsync(request, session, by, clock, ct), ct);

    public Task<Outcome<Team>> ReplaceAsync(Caller caller, Actor by, Guid id, TeamInput request, CancellationToken ct) =>
        RunOnAsync(caller, id, (stream, session) => TeamUseCases.ReplaceAsync(stream, request, session, by, clock, ct), ct);

    public Task<Outcome<Team>> DeleteAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunOnAsync(caller, id, (stream, session) => TeamUseCases.DeleteAsync(stream, session, references, by, clock, ct), ct);

    public Task<Outcome<Team>> SetMemberAsync(Caller caller, Actor by, Guid id, Guid personId, TeamMemberInput request, CancellationToken ct) =>
        RunOnAsync(caller, id, (stream, session) => TeamUseCases.SetMemberAsync(stream, personId, request, session, by, clock, ct), ct);

    public Task<Outcome<Team>> RemoveMemberAsync(Caller caller, Actor by, Guid id, Guid personId, CancellationToken ct) =>
        RunOnAsync(caller, id, (stream, _) => Task.FromResult(TeamUseCases.RemoveMember(stream, personId, by, clock)), ct);

    Task<Outcome<Team>> RunOnAsync(Caller caller, Guid id, Func<IEventStream<Team>, IDocumentSession, Task<Outcome<Team>>> change, CancellationToken ct) =>
        RunAsync(caller, async session => await change(await session.Events.FetchForWriting<Team>(id, ct), session), ct);

    async Task<Outcome<Team>> RunAsync(Caller caller, Func<IDocumentSession, Task<Outcome<Team>>> change, CancellationToken ct)
    {
        await using var session = store.LightweightSession(caller.TenantId);
        var outcome = await change(session);
        if (!outcome.Succeeded) return outcome;
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
        {
            return new Failure.Conflict("Someone else changed this team at the same moment; nothing of yours was saved. Look again and retry.");
        }
        return outcome;
    }
}
