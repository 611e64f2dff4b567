using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Sla;

public static class SlaActions
{
    /// <summary>Take it from the operator who has (or was offered) it and give it to another member.</summary>
    public const string Reassign = "reassign";
    /// <summary>Tell the team's supervisors.</summary>
    public const string NotifySupervisors = "notify_supervisors";
    /// <summary>Let another team's members take it too.</summary>
    public const string Widen = "widen";
    /// <summary>Give up honestly: <c>no_operator_available</c> when nobody took it, else <c>timed_out</c>.</summary>
    public const string TimeOut = "time_out";
    public static readonly string[] All = [Reassign, NotifySupervisors, Widen, TimeOut];
}

/// <param name="AfterSeconds">Counted from when the policy was applied, while nobody has answered the customer.</param>
/// <param name="Team">The team to widen to.</param>
public sealed record SlaStep(int AfterSeconds, string Action, Guid? Team = null);

public sealed record SlaPolicyDefined(Guid PolicyId, string Name, int FirstResponseSeconds, int? ResolutionSeconds, bool BusinessHoursOnly, SlaStep[] Steps, Actor By, DateTimeOffset At);

public sealed record SlaPolicyDeleted(Guid PolicyId, Actor By, DateTimeOffset At);

/// <summary>Targets for the first human answer and for the resolution, and the ladder of steps taken while nobody answers.</summary>
public sealed class SlaPolicy : ITenanted
{
    /// <summary>Filled in by Marten from the row; never shown.</summary>
    [JsonIgnore, AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public int FirstResponseSeconds { get; set; }
    public int? ResolutionSeconds { get; set; }
    /// <summary>Count only the routed team's business hours (the clock stops when it is closed).</summary>
    public bool BusinessHoursOnly { get; set; }
    public SlaStep[] Steps { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    public static SlaPolicy Create(SlaPolicyDefined defined)
    {
        var policy = new SlaPolicy { Id = defined.PolicyId };
        policy.Apply(defined);
        return policy;
    }

    public void Apply(SlaPolicyDefined defined)
    {
        Name = defined.Name;
        FirstResponseSeconds = defined.FirstResponseSeconds;
        ResolutionSeconds = defined.ResolutionSeconds;
        BusinessHoursOnly = defined.BusinessHoursOnly;
        Steps = defined.Steps;
        UpdatedAt = defined.At;
    }

    public bool ShouldDelete(SlaPolicyDeleted _) => true;
}

public sealed record SlaPolicyInput(string? Name, int? FirstResponseSeconds, int? ResolutionSeconds = null, bool? BusinessHoursOnly = null, SlaStepInput[]? Steps = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <param name="Action">reassign, notify_supervisors, widen (with team) or time_out (last).</param>
public sealed record SlaStepInput(int? AfterSeconds, string? Action, string? Team = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public static class SlaPolicyEndpoints
{
    const string Tag = "SLA policies";

    [WolverineGet("/v1/sla-policies", OperationId = "ListSlaPolicies")]
    [Authorize(Policy = Policies.RoutingRead)]
    [Tags(Tag)]
    [EndpointSummary("The tenant's SLA policies, by name")]
    [ProducesResponseType<ListPage<SlaPolicy>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await List(session, ct), policy => Paging.ByName(policy.Name, policy.Id), page));

    /// <summary>The tenant's SLA policies, by name.</summary>
    public static async Task<IReadOnlyList<SlaPolicy>> List(IQuerySession session, CancellationToken ct) =>
        await session.Query<SlaPolicy>().OrderBy(p => p.Name).ToListAsync(ct);

    [WolverineGet("/v1/sla-policies/{id}", OperationId = "GetSlaPolicy")]
    [Authorize(Policy = Policies.RoutingRead)]
    [Tags(Tag)]
    [EndpointSummary("One SLA policy")]
    [ProducesResponseType<SlaPolicy>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<SlaPolicy>(id, ct) is { } policy ? Results.Ok(policy) : Problems.NotFound("SLA policy");

    [WolverinePost("/v1/sla-policies", OperationId = "CreateSlaPolicy")]
    [Authorize(Policy = Policies.RoutingManage)]
    [Tags(Tag)]
    [EndpointSummary("Creates an SLA policy: targets and the ladder of steps while nobody answers")]
    [ProducesResponseType<SlaPolicy>(StatusCodes.Status201Created)]
    public static async Task<IResult> Create(SlaPolicyInput request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await SlaPolicyUseCases.CreateAsync(request, session, Caller.Of(context).AsActor(context), clock, ct), policy => Results.Created($"/v1/sla-policies/{policy.Id}", policy));

    [WolverinePut("/v1/sla-policies/{id}", OperationId = "ReplaceSlaPolicy")]
    [Authorize(Policy = Policies.RoutingManage)]
    [Tags(Tag)]
    [EndpointSummary("Replaces an SLA policy; escalations it already runs on keep the version they started with")]
    [ProducesResponseType<SlaPolicy>(StatusCodes.Status200OK)]
    public static async Task<IResult> Replace(Guid id, SlaPolicyInput request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await SlaPolicyUseCases.ReplaceAsync(await session.Events.FetchForWriting<SlaPolicy>(id, ct), request, session, Caller.Of(context).AsActor(context), clock, ct));

    [WolverineDelete("/v1/sla-policies/{id}", OperationId = "DeleteSlaPolicy")]
    [Authorize(Policy = Policies.RoutingManage)]
    [Tags(Tag)]
    [EndpointSummary("Deletes an SLA policy that no routing rule applies")]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, ISlaPolicyReferences references, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await SlaPolicyUseCases.DeleteAsync(await session.Events.FetchForWriting<SlaPolicy>(id, ct), session, references, Caller.Of(context).AsActor(context), clock, ct), _ => Results.NoContent());
}

/// <summary>
/// Creating, changing and deleting SLA policies, for the API and the SLA page. Writes take the
/// policy's stream as fetched for writing (optimistic); the caller commits when the outcome succeeded.
/// </summary>
public static class SlaPolicyUseCases
{
    const int MaxSeconds = 30 * 24 * 3600;

    public static async Task<Outcome<SlaPolicy>> CreateAsync(SlaPolicyInput request, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var (defined, errors) = await DefineAsync(Guid.CreateVersion7(clock.GetUtcNow()), request, session, by, clock, ct);
        if (errors.Any) return errors.ToFailure();
        session.Events.StartStream<SlaPolicy>(defined!.PolicyId, defined);
        var policy = SlaPolicy.Create(defined);
        policy.Version = 1;
        return policy;
    }

    public static async Task<Outcome<SlaPolicy>> ReplaceAsync(IEventStream<SlaPolicy> stream, SlaPolicyInput request, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (stream.Aggregate is not { } policy) return Failure.NotFound.Of("SLA policy");
        var (defined, errors) = await DefineAsync(stream.Id, request, session, by, clock, ct);
        if (errors.Any) return errors.ToFailure();
        stream.AppendOne(defined!);
        // A new instance: the fetched one is Marten's, which applies the event to it on commit.
        var replaced = SlaPolicy.Create(defined!);
        replaced.Version = policy.Version + 1;
        return replaced;
    }

    /// <returns>The policy as it was.</returns>
    public static async Task<Outcome<SlaPolicy>> DeleteAsync(IEventStream<SlaPolicy> stream, IDocumentSession session, ISlaPolicyReferences references, Actor by, TimeProvider clock, CancellationToken ct)
    {
        if (stream.Aggregate is not { } policy) return Failure.NotFound.Of("SLA policy");
        if (await references.IsAppliedAsync(session, stream.Id, ct))
            return new Failure.Conflict("A routing rule applies this policy; change the rules first.");
        stream.AppendOne(new SlaPolicyDeleted(stream.Id, by, clock.GetUtcNow()));
        return policy;
    }

    static async Task<(SlaPolicyDefined?, Problems.Errors)> DefineAsync(Guid id, SlaPolicyInput request, IQuerySession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("name", Problems.NameProblem(request.Name))
            .Check("first_response_seconds", request.FirstResponseSeconds is null or < 10 or > MaxSeconds ? $"The first-response target is 10 to {MaxSeconds:N0} seconds." : null)
            .Check("resolution_seconds", request.ResolutionSeconds is < 10 or > MaxSeconds ? $"The resolution target is 10 to {MaxSeconds:N0} seconds." : null)
            .Check("resolution_seconds", request.ResolutionSeconds < request.FirstResponseSeconds ? "The resolution target is not before the first-response target." : null);
        foreach (var name in request.Unknown?.Keys ?? Enumerable.Empty<string>()) errors.Check(name, $"Unknown field '{name}'.");

        var teams = (await session.Query<Team>().Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        var steps = request.Steps ?? [];
        var parsed = new List<SlaStep>();
        for (var i = 0; i < steps.Length; i++)
        {
            var path = $"steps[{i}]";
            var step = steps[i];
            if (step is null) { errors.Check(path, "The step is required."); continue; }
            foreach (var name in step.Unknown?.Keys ?? Enumerable.Empty<string>()) errors.Check($"{path}.{name}", $"Unknown field '{name}'.");
            errors
                .Check($"{path}.after_seconds", step.AfterSeconds is null or < 1 or > MaxSeconds ? $"A step comes 1 to {MaxSeconds:N0} seconds after the policy starts." : null)
                .Check($"{path}.after_seconds", i > 0 && step.AfterSeconds < steps[i - 1]?.AfterSeconds ? "Steps are in time order." : null)
                .Check($"{path}.action", step.Action is null || !SlaActions.All.Contains(step.Action) ? $"The action is one of {string.Join(", ", SlaActions.All)}." : null)
                .Check($"{path}.action", step.Action == SlaActions.TimeOut && i != steps.Length - 1 ? "time_out ends the ladder: it is the last step." : null);
            Guid? team = null;
            if (step.Action == SlaActions.Widen)
            {
                if (step.Team is null || !Guid.TryParse(step.Team, out var teamId) || !teams.Contains(teamId)) errors.Check($"{path}.team", step.Team is null ? "Widen to which team?" : $"No team with the id '{step.Team}' exists here.");
                else team = teamId;
            }
            else if (step.Team is not null) errors.Check($"{path}.team", "Only a widen step names a team.");
            if (step.AfterSeconds is { } after && step.Action is { } action) parsed.Add(new SlaStep(after, action, team));
        }
        if (errors.Any) return (null, errors);
        return (new SlaPolicyDefined(id, request.Name!.Trim(), request.FirstResponseSeconds!.Value, request.ResolutionSeconds, request.BusinessHoursOnly ?? false,
            [.. parsed], by, clock.GetUtcNow()), errors);
    }
}

/// <summary>The SLA page's changes: the same use cases as the API, in a session of the caller's tenant, committed only when they succeeded.</summary>
public sealed class SlaAdministration(IDocumentStore store, ISlaPolicyReferences references, TimeProvider clock)
{
    public Task<Outcome<SlaPolicy>> CreateAsync(Caller caller, Actor by, SlaPolicyInput request, CancellationToken ct) =>
        RunAsync(caller, session => SlaPolicyUseCases.CreateAsync(request, session, by, clock, ct), ct);

    public Task<Outcome<SlaPolicy>> ReplaceAsync(Caller caller, Actor by, Guid id, SlaPolicyInput request, CancellationToken ct) =>
        RunAsync(caller, async session => await SlaPolicyUseCases.ReplaceAsync(await session.Events.FetchForWriting<SlaPolicy>(id, ct), request, session, by, clock, ct), ct);

    public Task<Outcome<SlaPolicy>> DeleteAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunAsync(caller, async session => await SlaPolicyUseCases.DeleteAsync(await session.Events.FetchForWriting<SlaPolicy>(id, ct), session, references, by, clock, ct), ct);

    async Task<Outcome<SlaPolicy>> RunAsync(Caller caller, Func<IDocumentSession, Task<Outcome<SlaPolicy>>> change, CancellationToken ct)
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
            return new Failure.Conflict("Someone else changed this policy at the same moment; nothing of yours was saved. Look again and retry.");
        }
        return outcome;
    }
}
