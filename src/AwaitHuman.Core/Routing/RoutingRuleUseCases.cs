using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace AwaitHuman.Core.Routing;

/// <summary>
/// Publishing, rolling back and trying out the rules, for the routing API and the routing page.
/// Writes append to the tenant's rule-set stream fetched for writing (optimistic); nothing is
/// committed here, the caller commits when the outcome succeeded.
/// </summary>
public static class RoutingRuleUseCases
{
    public static async Task<RoutingRulesView> CurrentAsync(IQuerySession session, CancellationToken ct) =>
        View(await session.LoadAsync<RoutingRuleSet>(RoutingRuleSet.IdFor(session.TenantId), ct));

    /// <summary>Every published version, newest first.</summary>
    public static async Task<RoutingRulesView[]> HistoryAsync(IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(RoutingRuleSet.IdFor(session.TenantId), token: ct);
        return events.Select(e => e.Data).OfType<RoutingRulesPublished>().Reverse()
            .Select(p => new RoutingRulesView(p.Version, p.Rules, p.Default, p.By, p.At, p.RestoredFrom)).ToArray();
    }

    public static async Task<Outcome<RoutingRulesView>> PublishAsync(RoutingRulesInput request, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors();
        var (rules, fallback) = RoutingRulesParser.Parse(request, await ReferencesAsync(session, ct), errors);
        if (errors.Any) return errors.ToFailure();
        return await AppendAsync(session, rules, fallback, null, by, clock, ct);
    }

    /// <summary>
    /// A new version equal to an earlier one. The earlier rules are checked again as a publication
    /// would be: a team, person or policy deleted since would otherwise come back as a dangling id.
    /// </summary>
    public static async Task<Outcome<RoutingRulesView>> RollBackAsync(int version, IDocumentSession session, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(RoutingRuleSet.IdFor(session.TenantId), token: ct);
        var published = events.Select(e => e.Data).OfType<RoutingRulesPublished>().ToList();
        if (published.FirstOrDefault(p => p.Version == version) is not { } earlier)
            return new Failure.NotFound($"There is no version {version} of the routing rules.");
        if (published[^1].Version == version)
            return new Failure.Conflict($"Version {version} is the current version already.", "version");

        var errors = new Problems.Errors();
        var (rules, fallback) = RoutingRulesParser.Parse(InputOf(earlier), await ReferencesAsync(session, ct), errors);
        if (errors.Any)
            return new Failure.Conflict($"Version {version} names something deleted since, so it cannot come back as it was: "
                + string.Join(" ", errors.Fields.SelectMany(field => field.Value.Select(problem => $"{field.Key}: {problem}")))
                + " Publish a corrected version instead.", "version");
        return await AppendAsync(session, rules, fallback, version, by, clock, ct);
    }

    public static async Task<Outcome<RoutingDryRunResult>> DryRunAsync(RoutingDryRun request, IQuerySession session, Caller caller, RoutingSetupCache cache, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors();
        Escalation? stored = null;
        if (request.EscalationId is { } escalationId)
        {
            if (request.Escalation is not null) errors.Check("escalation_id", "Give a sample escalation or the id of one, not both.");
            else if ((stored = await session.LoadAsync<Escalation>(escalationId, ct)) is null) errors.Check("escalation_id", "No escalation with that id exists here.");
        }
        else if (request.Escalation is null) errors.Check("escalation", "Give a sample escalation, as an agent would open it.");
        else foreach (var (field, problems) in EscalationOpening.Validate(request.Escalation).Fields) foreach (var problem in problems) errors.Check($"escalation.{field}", problem);

        CompiledRuleSet compiled;
        if (request.Rules is { } candidate)
        {
            var (rules, fallback) = RoutingRulesParser.Parse(candidate, await ReferencesAsync(session, ct), errors);
            compiled = new CompiledRuleSet(rules, fallback, 0);
        }
        else compiled = cache.Rules(session.TenantId, await session.LoadAsync<RoutingRuleSet>(RoutingRuleSet.IdFor(session.TenantId), ct));
        if (errors.Any) return errors.ToFailure();

        var now = request.At ?? clock.GetUtcNow();
        var facts = RoutingFacts.Of(stored ?? Escalation.Create(EscalationOpening.Open(request.Escalation!, caller, now)));
        var (match, trace) = compiled.Explain(facts, await CalendarsAsync(session, ct), now);
        return new RoutingDryRunResult(compiled.Version, match.Position is { } position ? trace[position - 1] : null,
            match.Position is null && match.Actions is not null, match.Actions, match.Why, trace);
    }

    public static async Task<IReadOnlyDictionary<Guid, TeamCalendar>> CalendarsAsync(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Team>().ToListAsync(ct)).ToDictionary(t => t.Id, t => new TeamCalendar(t.Name, BusinessCalendar.Of(t.BusinessHours)));

    static async Task<Outcome<RoutingRulesView>> AppendAsync(IDocumentSession session, RoutingRule[] rules, RuleActions? fallback, int? restoredFrom, Actor by, TimeProvider clock, CancellationToken ct)
    {
        var id = RoutingRuleSet.IdFor(session.TenantId);
        var stream = await session.Events.FetchForWriting<RoutingRuleSet>(id, ct);
        var version = (stream.Aggregate?.Version ?? 0) + 1;
        var published = new RoutingRulesPublished(id, version, rules, fallback, by, clock.GetUtcNow(), restoredFrom);
        stream.AppendOne(published);
        var set = RoutingRuleSet.Create(published);
        set.Version = version;
        return View(set);
    }

    static async Task<RuleReferences> ReferencesAsync(IQuerySession session, CancellationToken ct) => new(
        (await session.Query<Team>().Select(t => t.Id).ToListAsync(ct)).ToHashSet(),
        (await session.Query<Membership>().Select(m => m.PersonId).ToListAsync(ct)).ToHashSet(),
        (await session.Query<SlaPolicy>().Select(p => p.Id).ToListAsync(ct)).ToHashSet());

    /// <summary>Stored rules as the request that would publish them, so a rollback is checked by the one parser.</summary>
    public static RoutingRulesInput InputOf(RoutingRulesPublished published) =>
        new(published.Rules.Select(rule => new RuleInput(rule.Name,
                rule.When.Select(c => new ConditionInput(c.Field, c.Op, c.Value, c.Min, c.Max, c.Team?.ToString())).ToArray(),
                InputOf(rule.Then))).ToArray(),
            published.Default is { } fallback ? InputOf(fallback) : null);

    static ActionsInput InputOf(RuleActions actions) => new(
        actions.RouteToTeam?.ToString(), actions.RouteToOperator?.ToString(), actions.SetPriority, actions.ApplySlaPolicy?.ToString(),
        actions.Acknowledge is { } ack ? new AcknowledgeInput(ack.Message) : null, actions.Notify?.Select(id => id.ToString()).ToArray(), actions.RequireSkills);

    static RoutingRulesView View(RoutingRuleSet? set) =>
        set is null ? new RoutingRulesView(0, [], null, null, null) : new RoutingRulesView(set.Version, set.Rules, set.Default, set.PublishedBy, set.PublishedAt, set.RestoredFrom);
}

/// <summary>
/// The routing page's changes (a Blazor circuit has no request): the same use cases as the API, in a
/// session of the caller's tenant, committed only when the use case succeeded.
/// </summary>
public sealed class RoutingRuleAdministration(IDocumentStore store, RoutingSetupCache cache, TimeProvider clock)
{
    public Task<Outcome<RoutingRulesView>> PublishAsync(Caller caller, Actor by, RoutingRulesInput request, CancellationToken ct) =>
        RunAsync(caller, session => RoutingRuleUseCases.PublishAsync(request, session, by, clock, ct), ct);

    public Task<Outcome<RoutingRulesView>> RollBackAsync(Caller caller, Actor by, int version, CancellationToken ct) =>
        RunAsync(caller, session => RoutingRuleUseCases.RollBackAsync(version, session, by, clock, ct), ct);

    public async Task<Outcome<RoutingDryRunResult>> DryRunAsync(Caller caller, RoutingDryRun request, CancellationToken ct)
    {
        await using var session = store.QuerySession(caller.TenantId);
        return await RoutingRuleUseCases.DryRunAsync(request, session, caller, cache, clock, ct);
    }

    async Task<Outcome<RoutingRulesView>> RunAsync(Caller caller, Func<IDocumentSession, Task<Outcome<RoutingRulesView>>> change, CancellationToken ct)
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
            return new Failure.Conflict("Someone else published the rules at the same moment; nothing of yours was saved. Look again and retry.");
        }
        return outcome;
    }
}
