using System.Text.Json;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using Marten;

namespace AwaitHuman.Core.Routing;

/// <summary>The names behind the ids rules hold, so a rule reads "team Billing" rather than a Guid.</summary>
public sealed record RuleNames(IReadOnlyDictionary<Guid, string> Teams, IReadOnlyDictionary<Guid, string> People, IReadOnlyDictionary<Guid, string> Policies)
{
    public static async Task<RuleNames> LoadAsync(IQuerySession session, CancellationToken ct) => new(
        (await session.Query<Team>().ToListAsync(ct)).ToDictionary(t => t.Id, t => t.Name),
        (await session.Query<Membership>().ToListAsync(ct)).ToDictionary(m => m.PersonId, m => m.Email),
        (await session.Query<SlaPolicy>().ToListAsync(ct)).ToDictionary(p => p.Id, p => p.Name));

    public string Team(Guid id) => Teams.GetValueOrDefault(id) ?? $"a deleted team ({id})";
    public string Person(Guid id) => People.GetValueOrDefault(id) ?? $"a former member ({id})";
    public string Policy(Guid id) => Policies.GetValueOrDefault(id) ?? $"a deleted policy ({id})";
}

/// <summary>Rules in words, and what one version changed against the one before it.</summary>
public static class RoutingRuleChanges
{
    public static string Condition(RuleCondition c, RuleNames names) => c.Op switch
    {
        "inside" or "outside" => $"{c.Op} business hours of {(c.Team is { } team ? names.Team(team) : "the rule's team")}",
        "exists" => $"{c.Field} is set",
        "between" => $"{c.Field} between {RoutingRulesParser.Format(c.Min ?? 0)} and {RoutingRulesParser.Format(c.Max ?? 0)}",
        "regex" => $"{c.Field} matches /{c.Value?.GetString()}/",
        _ => $"{c.Field} {c.Op.Replace('_', ' ')} {ValueText(c.Value)}",
    };

    public static string Conditions(IReadOnlyList<RuleCondition> when, RuleNames names) =>
        when.Count == 0 ? "always" : string.Join(" and ", when.Select(c => Condition(c, names)));

    public static string Actions(RuleActions? then, RuleNames names) => ActionParts(then, names) is { Count: > 0 } parts ? string.Join(", ", parts) : "nothing";

    static List<string> ActionParts(RuleActions? then, RuleNames names)
    {
        var parts = new List<string>();
        if (then is null) return parts;
        if (then.RouteToTeam is { } team) parts.Add($"to team {names.Team(team)}");
        if (then.RouteToOperator is { } person) parts.Add($"to {names.Person(person)}");
        if (then.RequireSkills is { Count: > 0 } skills) parts.Add("needing " + string.Join(", ", skills.Select(s => $"{s.Key} {s.Value}+")));
        if (then.SetPriority is { } priority) parts.Add($"priority {priority}");
        if (then.ApplySlaPolicy is { } policy) parts.Add($"SLA {names.Policy(policy)}");
        if (then.Acknowledge is { } ack) parts.Add(ack.Message is { } message ? $"acknowledge \"{message}\"" : "acknowledge with the default text");
        if (then.Notify is { Length: > 0 } notify) parts.Add("notify " + string.Join(", ", notify.Select(names.Person)));
        return parts;
    }

    /// <summary>Only what differs between two versions of one rule: its conditions, the actions it lost and gained.</summary>
    static string Difference(RoutingRule old, RoutingRule now, RuleNames names)
    {
        var said = new List<string>();
        if (Conditions(old.When, names) is var before && Conditions(now.When, names) is var after && before != after) said.Add($"when {before} → when {after}");
        var lost = ActionParts(old.Then, names).Except(ActionParts(now.Then, names)).ToList();
        var gained = ActionParts(now.Then, names).Except(ActionParts(old.Then, names)).ToList();
        if (lost.Count > 0 && gained.Count > 0) said.Add($"{string.Join(", ", lost)} → {string.Join(", ", gained)}");
        else if (gained.Count > 0) said.Add($"now also {string.Join(", ", gained)}");
        else if (lost.Count > 0) said.Add($"no longer {string.Join(", ", lost)}");
        return string.Join("; ", said);
    }

    public static string Rule(RoutingRule rule, RuleNames names) => $"when {Conditions(rule.When, names)}: {Actions(rule.Then, names)}";

    /// <summary>
    /// What <paramref name="current"/> changed against <paramref name="previous"/> (null before the
    /// first version). Rules are matched by name, or by their conditions when unnamed; a rule counts as
    /// moved only when its order among the rules both versions have changed, so one rule added on top
    /// does not list every other rule as moved.
    /// </summary>
    public static IReadOnlyList<string> Between(RoutingRulesView? previous, RoutingRulesView current, RuleNames names)
    {
        var lines = new List<string>();
        if (current.RestoredFrom is { } restored) lines.Add($"Restored version {restored}.");
        var before = (previous?.Rules ?? []).Select((rule, index) => (Key: KeyOf(rule, names), Rule: rule, Position: index + 1)).ToList();
        var after = current.Rules.Select((rule, index) => (Key: KeyOf(rule, names), Rule: rule, Position: index + 1)).ToList();
        var kept = after.Where(a => before.Any(b => b.Key == a.Key)).Select(a => a.Key).ToList();
        var keptBefore = before.Where(b => after.Any(a => a.Key == b.Key)).Select(b => b.Key).ToList();

        foreach (var (key, rule, position) in after)
        {
            var old = before.FirstOrDefault(b => b.Key == key);
            if (old.Rule is null) { lines.Add($"Added rule {position}{Label(rule)}: {Rule(rule, names)}."); continue; }
            if (Rule(old.Rule, names) != Rule(rule, names)) lines.Add($"Changed rule {position}{Label(rule)}: {Difference(old.Rule, rule, names)}.");
            if (kept.IndexOf(key) != keptBefore.IndexOf(key)) lines.Add($"Moved rule{Label(rule)} from {old.Position} to {position}.");
        }
        foreach (var (key, rule, position) in before)
            if (!after.Any(a => a.Key == key)) lines.Add($"Removed rule {position}{Label(rule)}: {Rule(rule, names)}.");

        var oldDefault = Actions(previous?.Default, names);
        var newDefault = Actions(current.Default, names);
        if (oldDefault != newDefault) lines.Add($"Default: {oldDefault} → {newDefault}.");
        if (lines.Count == (current.RestoredFrom is null ? 0 : 1)) lines.Add("No change to the rules.");
        return lines;
    }

    static string KeyOf(RoutingRule rule, RuleNames names) => rule.Name is { Length: > 0 } name ? "name:" + name : "when:" + Conditions(rule.When, names);

    static string Label(RoutingRule rule) => rule.Name is { Length: > 0 } name ? $" \"{name}\"" : "";

    static string ValueText(JsonElement? value) => value is { } v ? v.GetRawText() : "";
}
