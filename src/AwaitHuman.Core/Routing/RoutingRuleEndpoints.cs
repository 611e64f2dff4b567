using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Routing;

/// <summary>One version of the rules as the API shows it.</summary>
/// <param name="RestoredFrom">The earlier version this one copies, when it was a rollback.</param>
public sealed record RoutingRulesView(int Version, RoutingRule[] Rules, RuleActions? Default, Actor? PublishedBy, DateTimeOffset? PublishedAt, int? RestoredFrom = null);

/// <param name="Escalation">A sample as an agent would open it.</param>
/// <param name="At">The moment to evaluate at (business hours); now when left out.</param>
/// <param name="Rules">Rules to try instead of the published ones, e.g. before publishing them.</param>
/// <param name="EscalationId">An existing escalation to evaluate as it is now, instead of a sample.</param>
public sealed record RoutingDryRun(OpenEscalation? Escalation, DateTimeOffset? At = null, RoutingRulesInput? Rules = null, Guid? EscalationId = null);

/// <param name="Rule">The rule that matched, or null for the default or no match.</param>
public sealed record RoutingDryRunResult(int Version, RuleTrace? Rule, bool UsedDefault, RuleActions? Actions, string Why, RuleTrace[] Trace);

/// <summary>The rules over HTTP; the functions are <see cref="RoutingRuleUseCases"/>'s, which the routing page calls too.</summary>
public static class RoutingRuleEndpoints
{
    const string Tag = "Routing rules";

    [WolverineGet("/v1/routing-rules", OperationId = "GetRoutingRules")]
    [Authorize(Policy = Policies.RoutingRead)]
    [Tags(Tag)]
    [EndpointSummary("The current version of the tenant's routing rules (version 0 and no rules before the first is published)")]
    [ProducesResponseType<RoutingRulesView>(StatusCodes.Status200OK)]
    public static Task<RoutingRulesView> Get(IQuerySession session, CancellationToken ct) => RoutingRuleUseCases.CurrentAsync(session, ct);

    [WolverinePut("/v1/routing-rules", OperationId = "PublishRoutingRules")]
    [Authorize(Policy = Policies.RoutingManage)]
    [Tags(Tag)]
    [EndpointSummary("Publishes a new version: the whole ordered list (first match wins) and the default")]
    [EndpointDescription("Every routing decision names the rule and version it used. Unknown fields, unknown teams, people or policies, invalid patterns and rules without actions are refused with 400 naming the field, e.g. `rules[2].when[0].value`.")]
    [ProducesResponseType<RoutingRulesView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Publish(RoutingRulesInput request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await RoutingRuleUseCases.PublishAsync(request, session, Caller.Of(context).AsActor(context), clock, ct));

    [WolverineGet("/v1/routing-rules/versions", OperationId = "ListRoutingRuleVersions")]
    [Authorize(Policy = Policies.RoutingRead)]
    [Tags(Tag)]
    [EndpointSummary("Every published version, newest first")]
    [ProducesResponseType<ListPage<RoutingRulesView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> History(int? limit, string? cursor, IQuerySession session, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await RoutingRuleUseCases.HistoryAsync(session, ct), version => Paging.ByNumber(version.Version), page, descending: true));

    [WolverinePost("/v1/routing-rules/versions/{version}/rollback", OperationId = "RollBackRoutingRules")]
    [Authorize(Policy = Policies.RoutingManage)]
    [Tags(Tag)]
    [EndpointSummary("Publishes a new version equal to an earlier one")]
    [EndpointDescription("The history keeps every version: the new one records which version it restored and who did it. A version naming a team, person or SLA policy deleted since is refused with 409; 404 for a version that does not exist.")]
    [ProducesResponseType<RoutingRulesView>(StatusCodes.Status200OK)]
    public static async Task<IResult> RollBack(int version, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await RoutingRuleUseCases.RollBackAsync(version, session, Caller.Of(context).AsActor(context), clock, ct));

    [WolverinePost("/v1/routing-rules/dry-run", OperationId = "DryRunRoutingRules")]
    [Authorize(Policy = Policies.RoutingRead)]
    [Tags(Tag)]
    [EndpointSummary("Evaluates a sample escalation and explains which rule matched and why, without opening anything")]
    [ProducesResponseType<RoutingDryRunResult>(StatusCodes.Status200OK)]
    public static async Task<IResult> DryRun(RoutingDryRun request, IQuerySession session, HttpContext context, RoutingSetupCache cache, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await RoutingRuleUseCases.DryRunAsync(request, session, Caller.Of(context), cache, clock, ct));
}
