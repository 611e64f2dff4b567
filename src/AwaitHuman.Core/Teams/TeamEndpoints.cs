using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace AwaitHuman.Core.Teams;

/// <param name="Strategy">round_robin (default), least_loaded or skills_based.</param>
/// <param name="Assignment">direct (default: the chosen operator owns it at once) or offer (they accept within offer_seconds).</param>
/// <param name="BusinessHours">Leave out for a team that works around the clock.</param>
/// <param name="Members">Replaces the members when given.</param>
public sealed record TeamInput(
    string? Name,
    string? Strategy = null,
    string? Assignment = null,
    int? OfferSeconds = null,
    int? AverageHandleSeconds = null,
    BusinessHours? BusinessHours = null,
    TeamMemberInput[]? Members = null);

/// <param name="Capacity">How many escalations at once; 5 when left out.</param>
public sealed record TeamMemberInput(
    Guid? PersonId = null,
    Dictionary<string, int>? Skills = null,
    int? Capacity = null,
    Dictionary<string, int>? ChannelCapacity = null,
    bool? Supervisor = null);

/// <summary>
/// Teams over HTTP; the functions are <see cref="TeamUseCases"/>'s, which the teams page calls too. The writes take the team's stream through <c>[WriteAggregate]</c>, optimistic as
/// every admin write: two admins editing one team at once get a 409 for the second commit. It is not
/// required, so a missing team answers with the API's own 404.
/// </summary>
public static class TeamEndpoints
{
    const string Tag = "Teams";

    [WolverineGet("/v1/teams", OperationId = "ListTeams")]
    [Authorize(Policy = Policies.TeamsRead)]
    [Tags(Tag)]
    [EndpointSummary("The tenant's teams with their members, strategies and business hours, by name")]
    [ProducesResponseType<ListPage<Team>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await List(session, ct), team => Paging.ByName(team.Name, team.Id), page));

    /// <summary>The tenant's teams, by name.</summary>
    public static async Task<IReadOnlyList<Team>> List(IQuerySession session, CancellationToken ct) =>
        await session.Query<Team>().OrderBy(t => t.Name).ToListAsync(ct);

    [WolverineGet("/v1/teams/{id}", OperationId = "GetTeam")]
    [Authorize(Policy = Policies.TeamsRead)]
    [Tags(Tag)]
    [EndpointSummary("One team")]
    [ProducesResponseType<Team>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Team>(id, ct) is { } team ? Results.Ok(team) : Problems.NotFound("team");

    [WolverinePost("/v1/teams", OperationId = "CreateTeam")]
    [Authorize(Policy = Policies.TeamsManage)]
    [Tags(Tag)]
    [EndpointSummary("Creates a team, optionally with its members")]
    [ProducesResponseType<Team>(StatusCodes.Status201Created)]
    public static async Task<IResult> Create(TeamInput request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await TeamUseCases.CreateAsync(request, session, Caller.Of(context).AsActor(context), clock, ct), team => Results.Created($"/v1/teams/{team.Id}", team));

    [WolverinePut("/v1/teams/{id}", OperationId = "ReplaceTeam")]
    [Authorize(Policy = Policies.TeamsManage)]
    [Tags(Tag)]
    [EndpointSummary("Replaces a team's settings; its members too when members are given")]
    [ProducesResponseType<Team>(StatusCodes.Status200OK)]
    public static async Task<IResult> Replace(
        Guid id, TeamInput request, [WriteAggregate(Required = false)] IEventStream<Team> stream, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await TeamUseCases.ReplaceAsync(stream, request, session, Caller.Of(context).AsActor(context), clock, ct));

    [WolverineDelete("/v1/teams/{id}", OperationId = "DeleteTeam")]
    [Authorize(Policy = Policies.TeamsManage)]
    [Tags(Tag)]
    [EndpointSummary("Deletes a team; routing rules that name it must be changed first")]
    [EndpointDescription("Its escalations stay open: those waiting in its queue are left without a team (the console's Unassigned view), to be claimed or transferred; those someone owns stay theirs.")]
    public static async Task<IResult> Delete(
        Guid id, [WriteAggregate(Required = false)] IEventStream<Team> stream, IDocumentSession session, ITeamReferences references, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await TeamUseCases.DeleteAsync(stream, session, references, Caller.Of(context).AsActor(context), clock, ct), _ => Results.NoContent());

    [WolverinePut("/v1/teams/{id}/members/{personId}", OperationId = "SetTeamMember")]
    [Authorize(Policy = Policies.TeamsManage)]
    [Tags(Tag)]
    [EndpointSummary("Adds a person to a team or changes their skills, capacity and supervisor flag")]
    [ProducesResponseType<Team>(StatusCodes.Status200OK)]
    public static async Task<IResult> SetMember(
        Guid id, Guid personId, TeamMemberInput request, [WriteAggregate(Required = false)] IEventStream<Team> stream, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await TeamUseCases.SetMemberAsync(stream, personId, request, session, Caller.Of(context).AsActor(context), clock, ct));

    [WolverineDelete("/v1/teams/{id}/members/{personId}", OperationId = "RemoveTeamMember")]
    [Authorize(Policy = Policies.TeamsManage)]
    [Tags(Tag)]
    [EndpointSummary("Removes a person from a team")]
    public static IResult RemoveMember(Guid id, Guid personId, [WriteAggregate(Required = false)] IEventStream<Team> stream, HttpContext context, TimeProvider clock) =>
        Problems.Of(TeamUseCases.RemoveMember(stream, personId, Caller.Of(context).AsActor(context), clock), _ => Results.NoContent());
}

/// <summary>
/// Creating, changing and deleting teams, for the teams API and the teams page. The writes take the
/// team's stream as fetched for writing (optimistic); nothing is committed here, the caller commits
/// when the outcome succeeded.
/// </summary>
public static class TeamUseCases
{
    public static async Task<Outcome<Team>> CreateAsync(TeamInput request, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var errors = await ProblemsOfAsync(request, session, ct);
        if (errors.Any) return errors.ToFailure();
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var events = new List<object> { Defined(id, request, by, now) };
        events.AddRange((request.Members ?? []).Select(member => new TeamMemberSet(id, MemberOf(member), by, now)));
        session.Events.StartStream<Team>(id, events);
        return Applied(null, events);
    }

    public static async Task<Outcome<Team>> ReplaceAsync(IEventStream<Team> stream, TeamInput request, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (stream.Aggregate is not { } team) return Failure.NotFound.Of("team");
        var errors = await ProblemsOfAsync(request, session, ct);
        if (errors.Any) return errors.ToFailure();

        var now = clock.GetUtcNow();
        var events = new List<object> { Defined(stream.Id, request, by, now) };
        if (request.Members is { } members)
        {
            var kept = members.Select(m => m.PersonId!.Value).ToHashSet();
            events.AddRange(team.Members.Where(m => !kept.Contains(m.PersonId)).Select(m => new TeamMemberRemoved(stream.Id, m.PersonId, by, now)));
            events.AddRange(members.Select(member => new TeamMemberSet(stream.Id, MemberOf(member), by, now)));
        }
        stream.AppendMany(events);
        return Applied(team, events);
    }

    /// <returns>The team as it was.</returns>
    public static async Task<Outcome<Team>> DeleteAsync(IEventStream<Team> stream, IDocumentSession session, ITeamReferences references, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (stream.Aggregate is not { } team) return Failure.NotFound.Of("team");
        if (await references.FindAsync(session, stream.Id, ct) is { } rule)
            return new Failure.Conflict($"The routing rules name this team ({rule}); change them first.");
        stream.AppendOne(new TeamDeleted(stream.Id, by, clock.GetUtcNow()));
        return team;
    }

    public static async Task<Outcome<Team>> SetMemberAsync(IEventStream<Team> stream, Guid personId, TeamMemberInput request, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (stream.Aggregate is not { } team) return Failure.NotFound.Of("team");
        var member = request with { PersonId = personId };
        var errors = new Problems.Errors();
        CheckMember(errors, "", member);
        if (!errors.Any && !await IsTenantMemberAsync(session, personId, ct)) return Failure.NotFound.Of("member");
        if (errors.Any) return errors.ToFailure();
        var set = new TeamMemberSet(stream.Id, MemberOf(member), by, clock.GetUtcNow());
        stream.AppendOne(set);
        return Applied(team, [set]);
    }

    public static Outcome<Team> RemoveMember(IEventStream<Team> stream, Guid personId, Actor by, TimeProvider clock)
    {
        if (stream.Aggregate is not { } team) return Failure.NotFound.Of("team");
        if (team.Member(personId) is null) return Failure.NotFound.Of("team member");
        var removed = new TeamMemberRemoved(stream.Id, personId, by, clock.GetUtcNow());
        stream.AppendOne(removed);
        return Applied(team, [removed]);
    }

    static TeamDefined Defined(Guid id, TeamInput request, Actor by, DateTimeOffset now) => new(
        id, request.Name!.Trim(), request.Strategy ?? AssignmentStrategies.RoundRobin, request.Assignment ?? AssignmentModes.Direct,
        request.OfferSeconds ?? Team.DefaultOfferSeconds, request.AverageHandleSeconds ?? Team.DefaultAverageHandleSeconds,
        request.BusinessHours is { } hours ? hours with { Holidays = hours.Holidays ?? [] } : null, by, now);

    static TeamMember MemberOf(TeamMemberInput input) => new(
        input.PersonId!.Value,
        input.Skills ?? [],
        input.Capacity ?? Team.DefaultCapacity,
        input.ChannelCapacity ?? [],
        input.Supervisor ?? false);

    static Team Applied(Team? team, IEnumerable<object> events)
    {
        Team? result = team is null ? null : new Team
        {
            Id = team.Id, Version = team.Version, Name = team.Name, Strategy = team.Strategy, Assignment = team.Assignment, OfferSeconds = team.OfferSeconds,
            AverageHandleSeconds = team.AverageHandleSeconds, BusinessHours = team.BusinessHours, Members = [.. team.Members], CreatedAt = team.CreatedAt, UpdatedAt = team.UpdatedAt,
        };
        foreach (var e in events)
        {
            switch (e)
            {
                case TeamDefined x when result is null: result = Team.Create(x); break;
                case TeamDefined x: result.Apply(x); break;
                case TeamMemberSet x: result!.Apply(x); break;
                case TeamMemberRemoved x: result!.Apply(x); break;
            }
            result!.Version++;
        }
        return result!;
    }

    static async Task<Problems.Errors> ProblemsOfAsync(TeamInput request, IQuerySession session, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("name", Problems.NameProblem(request.Name))
            .Check("strategy", request.Strategy is not null && !AssignmentStrategies.All.Contains(request.Strategy) ? $"The strategy is one of {string.Join(", ", AssignmentStrategies.All)}." : null)
            .Check("assignment", request.Assignment is not null && !AssignmentModes.All.Contains(request.Assignment) ? $"The assignment is one of {string.Join(", ", AssignmentModes.All)}." : null)
            .Check("offer_seconds", request.OfferSeconds is < 10 or > 3600 ? "An offer lasts 10 to 3,600 seconds." : null)
            .Check("average_handle_seconds", request.AverageHandleSeconds is < 10 or > 7 * 24 * 3600 ? "The average handling time is 10 seconds to 7 days." : null);
        if (request.BusinessHours is { } hours)
            foreach (var (field, problem) in BusinessCalendar.Problems(hours, "business_hours")) errors.Check(field, problem);

        var members = request.Members ?? [];
        for (var i = 0; i < members.Length; i++) CheckMember(errors, $"members[{i}].", members[i]);
        var ids = members.Where(m => m?.PersonId is not null).Select(m => m.PersonId!.Value).ToArray();
        if (ids.Distinct().Count() != ids.Length) errors.Check("members", "Each person is listed once.");
        if (ids.Length > 0)
        {
            var known = (await session.Query<Membership>().Where(m => ids.Contains(m.PersonId)).Select(m => m.PersonId).ToListAsync(ct)).ToHashSet();
            for (var i = 0; i < members.Length; i++)
                if (members[i]?.PersonId is { } personId && !known.Contains(personId))
                    errors.Check($"members[{i}].person_id", "No member of this tenant has that person id.");
        }
        return errors;
    }

    static void CheckMember(Problems.Errors errors, string path, TeamMemberInput? member)
    {
        if (member is null) { errors.Check(path.TrimEnd('.'), "The member is required."); return; }
        errors
            .Check($"{path}person_id", member.PersonId is null ? "The person id is required." : null)
            .Check($"{path}capacity", member.Capacity is < 0 or > 100 ? "The capacity is 0 to 100 escalations at once." : null)
            .Check($"{path}skills", member.Skills?.FirstOrDefault(s => !SkillName(s.Key) || s.Value is < 1 or > 5) is { Key: { } bad } ? $"Skill '{bad}': a name of lowercase letters, digits, '_' or '-' with a level of 1 to 5." : null)
            .Check($"{path}channel_capacity", member.ChannelCapacity?.FirstOrDefault(c => !AwaitHuman.Connectors.ChannelKinds.All.Contains(c.Key) || c.Value is < 0 or > 100) is { Key: { } channel } ? $"Channel '{channel}': one of {string.Join(", ", AwaitHuman.Connectors.ChannelKinds.All)} with a capacity of 0 to 100." : null);
    }

    static bool SkillName(string name) => name.Length is > 0 and <= 64 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-');

    static async Task<bool> IsTenantMemberAsync(IQuerySession session, Guid personId, CancellationToken ct) =>
        await session.Query<Membership>().AnyAsync(m => m.PersonId == personId, ct);
}
