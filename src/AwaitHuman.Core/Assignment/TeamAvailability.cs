using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Assignment;

/// <summary>A team member as routing sees them now.</summary>
/// <param name="Presence">online, away or offline, as routing acts on it (away or offline when heartbeats stopped).</param>
/// <param name="Held">Escalations they own or have an open offer of, in every team.</param>
/// <param name="Capacity">How many this team gives them at once.</param>
public sealed record MemberAvailability(Guid PersonId, string Email, string Presence, DateTimeOffset? LastSeenAt, int Held, int Capacity);

/// <summary>Who of a team is online, away or offline, and how much each holds: for the teams API and page.</summary>
public static class TeamAvailability
{
    public static async Task<Outcome<IReadOnlyList<MemberAvailability>>> OfAsync(IQuerySession session, Guid teamId, TimeProvider clock, CancellationToken ct)
    {
        var team = await session.LoadAsync<Team>(teamId, ct);
        if (team is null) return Failure.NotFound.Of("team");
        var ids = team.Members.Select(m => m.PersonId).ToArray();
        if (ids.Length == 0) return Array.Empty<MemberAvailability>();

        var batch = session.CreateBatchQuery();
        var presenceOf = batch.LoadMany<OperatorPresence>().ById(ids);
        var membershipsOf = batch.Query<Membership>().Where(m => ids.Contains(m.PersonId)).ToList();
        var loadsOf = batch.Query<PersonLoad>(LoadsSql(session), session.TenantId, ids.Select(id => id.ToString()).ToArray());
        await batch.Execute(ct);
        var presence = (await presenceOf).ToDictionary(p => p.Id);
        var emails = (await membershipsOf).ToDictionary(m => m.PersonId, m => m.Email);
        var loads = (await loadsOf).ToDictionary(load => load.PersonId, load => load.Held);

        var now = clock.GetUtcNow();
        return team.Members
            .Select(member => new MemberAvailability(
                member.PersonId,
                emails.GetValueOrDefault(member.PersonId, member.PersonId.ToString()),
                OperatorPresence.Effective(presence.GetValueOrDefault(member.PersonId), now),
                presence.GetValueOrDefault(member.PersonId)?.LastSeenAt,
                loads.GetValueOrDefault(member.PersonId.ToString()),
                member.Capacity))
            .OrderBy(m => m.Email)
            .ToList();
    }

    sealed record PersonLoad(string PersonId, int Held);

    /// <summary>The counts PostgreSQL keeps per person and channel (<see cref="AssignmentLoads"/>), summed. Parameters: tenant, people.</summary>
    static string LoadsSql(IQuerySession session) => $"""
        select jsonb_build_object('PersonId', person_id, 'Held', sum(held))
        from {session.DocumentStore.Options.DatabaseSchemaName}.{AssignmentLoads.TableName}
        where tenant_id = ? and person_id = any(?)
        group by person_id
        """;
}

public static class TeamAvailabilityEndpoints
{
    [WolverineGet("/v1/teams/{id}/availability", OperationId = "GetTeamAvailability")]
    [Authorize(Policy = Policies.MembersRead)]
    [Tags("Teams")]
    [EndpointSummary("Who of the team is online, away or offline, and how many escalations each holds against their capacity")]
    [ProducesResponseType<MemberAvailability[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await TeamAvailability.OfAsync(session, id, clock, ct));
}
