using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwaitHuman.Core.Security;
using Marten;
using Marten.Metadata;

namespace AwaitHuman.Core.Routing;

/// <summary>One test of an escalation's field; which of value, min, max, team it uses depends on the operator.</summary>
public sealed record RuleCondition(string Field, string Op, JsonElement? Value = null, double? Min = null, double? Max = null, Guid? Team = null);

/// <summary>The customer's automatic acknowledgement; <c>{reply_by}</c> in the message is replaced by the promised time.</summary>
public sealed record Acknowledgement(string? Message);

/// <param name="RequireSkills">For skills-based teams: the skills (and minimum levels) the operator needs.</param>
/// <param name="Notify">People told about the escalation when the rule routes it.</param>
public sealed record RuleActions(
    Guid? RouteToTeam = null,
    Guid? RouteToOperator = null,
    string? SetPriority = null,
    Guid? ApplySlaPolicy = null,
    Acknowledgement? Acknowledge = null,
    Guid[]? Notify = null,
    Dictionary<string, int>? RequireSkills = null)
{
    public bool IsEmpty => RouteToTeam is null && RouteToOperator is null && SetPriority is null && ApplySlaPolicy is null && Acknowledge is null && (Notify is null || Notify.Length == 0);
}

/// <summary>First match wins: all of <see cref="When"/> must hold (an empty list always holds).</summary>
public sealed record RoutingRule(string? Name, RuleCondition[] When, RuleActions Then);

/// <summary>A new version of the tenant's rules: the whole ordered list and the default.</summary>
/// <param name="RestoredFrom">The earlier version this one copies, when it is a rollback.</param>
public sealed record RoutingRulesPublished(Guid RuleSetId, int Version, RoutingRule[] Rules, RuleActions? Default, Actor By, DateTimeOffset At, int? RestoredFrom = null);

/// <summary>
/// The tenant's current routing rules: one stream per tenant whose every event is a version, so a
/// routing decision can name the version it used and the history stays readable.
/// </summary>
public sealed class RoutingRuleSet : ITenanted
{
    [AllowNull] public string TenantId { get; set => field = value ?? ""; } = "";

    public Guid Id { get; set; }
    public int Version { get; set; }
    public RoutingRule[] Rules { get; set; } = [];
    public RuleActions? Default { get; set; }
    public Actor? PublishedBy { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>The earlier version this one copies, when it was a rollback.</summary>
    public int? RestoredFrom { get; set; }

    public static RoutingRuleSet Create(RoutingRulesPublished published)
    {
        var set = new RoutingRuleSet { Id = published.RuleSetId };
        set.Apply(published);
        return set;
    }

    public void Apply(RoutingRulesPublished published)
    {
        Rules = published.Rules;
        Default = published.Default;
        PublishedBy = published.By;
        PublishedAt = published.At;
        RestoredFrom = published.RestoredFrom;
    }

    /// <summary>The stream id of a tenant's rules: derived from the tenant, so there is one without a lookup.</summary>
    public static Guid IdFor(string tenantId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("routing-rules:" + tenantId)));

    /// <summary>Names the first rule that routes to <paramref name="teamId"/> or checks its hours, if any does.</summary>
    public static async Task<string?> ReferencesTeamAsync(IQuerySession session, Guid teamId, CancellationToken ct)
    {
        var set = await session.LoadAsync<RoutingRuleSet>(IdFor(session.TenantId), ct);
        if (set is null) return null;
        for (var i = 0; i < set.Rules.Length; i++)
            if (set.Rules[i].Then.RouteToTeam == teamId || set.Rules[i].When.Any(c => c.Team == teamId)) return $"rule {i + 1}";
        return set.Default?.RouteToTeam == teamId ? "the default" : null;
    }
}
