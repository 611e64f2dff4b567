using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Routing;

/// <summary>One version of the rules as the API shows it.</summary>
public sealed record RoutingRulesView(int Version, RoutingRule[] Rules, RuleActions? Default, Actor? PublishedBy, DateTimeOffset? PublishedAt);

/// <param name="Escalation">A sample as an agent would open it.</param>
/// <param name="At">The moment to evaluate at (business hours); now when left out.</param>
/// <param name="Rules">Rules to try instead of the published ones, e.g. before publishing them.</param>
public sealed record RoutingDryRun(OpenEscalation? Escalation, DateTimeOffset? At = null, RoutingRulesInput? Rules = null);

/// <param name="Rule">The rule that matched, or null for the default or no match.</param>
public sealed record RoutingDryRunResult(int Version, RuleTrace? Rule, bool UsedDefault, RuleActions? Actions, string Why, RuleTrace[] Trace);

public static class RoutingRuleEndpoints
{
    const string Tag = "Routing rules";

    [WolverineGet("/v1/routing-rules", OperationId = "GetRoutingRules")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("The current version of the tenant's routing rules (version 0 and no rules before the first is published)")]
    [ProducesResponseType<RoutingRulesView>(StatusCodes.Status200OK)]
    public static async Task<RoutingRulesView> Get(IQuerySession session, CancellationToken ct) =>
        View(await session.LoadAsync<RoutingRuleSet>(RoutingRuleSet.IdFor(session.TenantId), ct));

    [WolverinePut("/v1/routing-rules", OperationId = "PublishRoutingRules")]
    [Authorize(Policy = Policies.AdminOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Publishes a new version: the whole ordered list (first match wins) and the default")]
    [EndpointDescription("Every routing decision names the rule and version it used. Unknown fields, unknown teams, people or policies, invalid patterns and rules without actions are refused with 400 naming the field, e.g. `rules[2].when[0].value`.")]
    [ProducesResponseType<RoutingRulesView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Publish(RoutingRulesInput request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors();
        var (rules, fallback) = RoutingRulesParser.Parse(request, await ReferencesAsync(session, ct), errors);
        if (errors.Any) return errors.ToResult();

        var id = RoutingRuleSet.IdFor(session.TenantId);
        var stream = await session.Events.FetchForWriting<RoutingRuleSet>(id, ct);
        var version = (stream.Aggregate?.Version ?? 0) + 1;
        var published = new RoutingRulesPublished(id, version, rules, fallback, Caller.Of(context).AsActor(context), clock.GetUtcNow());
        stream.AppendOne(published);
        var set = RoutingRuleSet.Create(published);
        set.Version = version;
        return Results.Ok(View(set));
    }

    [WolverineGet("/v1/routing-rules/versions", OperationId = "ListRoutingRuleVersions")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Every published version, newest first")]
    [ProducesResponseType<ListPage<RoutingRulesView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> History(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await History(session, ct), version => Paging.ByNumber(version.Version), page, descending: true));

    /// <summary>Every published version, newest first.</summary>
    public static async Task<RoutingRulesView[]> History(IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(RoutingRuleSet.IdFor(session.TenantId), token: ct);
        return events.Select(e => e.Data).OfType<RoutingRulesPublished>().Reverse()
            .Select(p => new RoutingRulesView(p.Version, p.Rules, p.Default, p.By, p.At)).ToArray();
    }

    [WolverinePost("/v1/routing-rules/dry-run", OperationId = "DryRunRoutingRules")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Evaluates a sample escalation and explains which rule matched and why, without opening anything")]
    [ProducesResponseType<RoutingDryRunResult>(StatusCodes.Status200OK)]
    public static async Task<IResult> DryRun(RoutingDryRun request, IQuerySession session, HttpContext context, RoutingSetupCache cache, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors();
        if (request.Escalation is null) errors.Check("escalation", "Give a sample escalation, as an agent would open it.");
        else foreach (var (field, problems) in EscalationOpening.Validate(request.Escalation).Fields) foreach (var problem in problems) errors.Check($"escalation.{field}", problem);

        CompiledRuleSet compiled;
        if (request.Rules is { } candidate)
        {
            var (rules, fallback) = RoutingRulesParser.Parse(candidate, await ReferencesAsync(session, ct), errors);
            compiled = new CompiledRuleSet(rules, fallback, 0);
        }
        else compiled = cache.Rules(session.TenantId, await session.LoadAsync<RoutingRuleSet>(RoutingRuleSet.IdFor(session.TenantId), ct));
        if (errors.Any) return errors.ToResult();

        var now = request.At ?? clock.GetUtcNow();
        var facts = RoutingFacts.Of(Escalation.Create(EscalationOpening.Open(request.Escalation!, Caller.Of(context), now)));
        var (match, trace) = compiled.Explain(facts, await CalendarsAsync(session, ct), now);
        return Results.Ok(new RoutingDryRunResult(compiled.Version, match.Position is { } position ? trace[position - 1] : null,
            match.Position is null && match.Actions is not null, match.Actions, match.Why, trace));
    }

    public static async Task<IReadOnlyDictionary<Guid, TeamCalendar>> CalendarsAsync(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Team>().ToListAsync(ct)).ToDictionary(t => t.Id, t => new TeamCalendar(t.Name, BusinessCalendar.Of(t.BusinessHours)));

    static async Task<RuleReferences> ReferencesAsync(IQuerySession session, CancellationToken ct) => new(
        (await session.Query<Team>().Select(t => t.Id).ToListAsync(ct)).ToHashSet(),
        (await session.Query<Membership>().Select(m => m.PersonId).ToListAsync(ct)).ToHashSet(),
        (await session.Query<SlaPolicy>().Select(p => p.Id).ToListAsync(ct)).ToHashSet());

    static RoutingRulesView View(RoutingRuleSet? set) =>
        set is null ? new RoutingRulesView(0, [], null, null, null) : new RoutingRulesView(set.Version, set.Rules, set.Default, set.PublishedBy, set.PublishedAt);
}
