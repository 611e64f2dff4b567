using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Security;

namespace AwaitHuman.Core.Routing;

// The request bodies keep fields they do not know (JsonExtensionData) so validation can name them
// instead of silently dropping a misspelt condition or action.

/// <summary>The whole ordered list of rules (first match wins) and the default for escalations no rule matches.</summary>
public sealed record RoutingRulesInput(RuleInput[]? Rules, ActionsInput? Default = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public sealed record RuleInput(string? Name, ConditionInput[]? When, ActionsInput? Then)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <param name="Field">kind, priority, reason, channel, language, locale, tags, confidence, external_ref, customer.name|email|phone|whatsapp|preferred_channel|locale, metadata.&lt;path&gt; or business_hours.</param>
/// <param name="Op">equals, not_equals, in, not_in, contains, not_contains, regex, gt, gte, lt, lte, between, exists; inside or outside for business_hours.</param>
/// <param name="Value">What to compare with: a string, number or boolean; a list for in and not_in; the pattern for regex.</param>
/// <param name="Team">For business_hours: whose hours; the rule's route_to_team when left out.</param>
public sealed record ConditionInput(string? Field, string? Op, JsonElement? Value = null, double? Min = null, double? Max = null, string? Team = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <param name="Notify">Person ids to tell.</param>
/// <param name="RequireSkills">Skill name to minimum level (1-5), for skills-based teams.</param>
public sealed record ActionsInput(
    string? RouteToTeam = null,
    string? RouteToOperator = null,
    string? SetPriority = null,
    string? ApplySlaPolicy = null,
    AcknowledgeInput? Acknowledge = null,
    string[]? Notify = null,
    Dictionary<string, int>? RequireSkills = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <param name="Message">The text sent; <c>{reply_by}</c> is replaced by the promised time in the team's time zone. A default text when left out.</param>
public sealed record AcknowledgeInput(string? Message = null)
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>What the rules may refer to in this tenant, so a rule never names something that is not there.</summary>
public sealed record RuleReferences(ISet<Guid> Teams, ISet<Guid> People, ISet<Guid> SlaPolicies);

/// <summary>Checks a rule set and turns it into the stored form; every problem names its field, e.g. <c>rules[2].when[0].op</c>.</summary>
public static partial class RoutingRulesParser
{
    public const int MaxRules = 500;
    public const int MaxConditions = 50;
    public const int MaxPatternLength = 500;

    public static readonly string[] TextFields =
        ["kind", "priority", "reason", "channel", "language", "locale", "external_ref",
         "customer.name", "customer.email", "customer.phone", "customer.whatsapp", "customer.preferred_channel", "customer.locale"];

    public static readonly string[] Ops =
        ["equals", "not_equals", "in", "not_in", "contains", "not_contains", "regex", "gt", "gte", "lt", "lte", "between", "exists", "inside", "outside"];

    static readonly string[] TextOps = ["equals", "not_equals", "in", "not_in", "contains", "not_contains", "regex", "exists"];
    static readonly string[] NumberOps = ["equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists"];
    static readonly string[] ListOps = ["contains", "not_contains", "in", "not_in", "exists"];

    public static (RoutingRule[] Rules, RuleActions? Default) Parse(RoutingRulesInput input, RuleReferences references, Problems.Errors errors)
    {
        Unknown(errors, "", input.Unknown);
        var rules = input.Rules ?? [];
        if (input.Rules is null) errors.Check("rules", "The rules are required: an ordered list, first match wins (it may be empty).");
        if (rules.Length > MaxRules) errors.Check("rules", $"At most {MaxRules} rules.");
        var parsed = new List<RoutingRule>();
        for (var i = 0; i < Math.Min(rules.Length, MaxRules); i++)
        {
            var path = $"rules[{i}]";
            var rule = rules[i];
            if (rule is null) { errors.Check(path, "The rule is required."); continue; }
            Unknown(errors, path + ".", rule.Unknown);
            errors.Check($"{path}.name", rule.Name?.Length > 100 ? "The name is at most 100 characters." : null);
            var then = rule.Then is null ? null : Actions(rule.Then, $"{path}.then", references, errors);
            if (rule.Then is null) errors.Check($"{path}.then", "The rule needs actions: route_to_team, route_to_operator, set_priority, apply_sla_policy, acknowledge or notify.");
            var when = rule.When ?? [];
            if (when.Length > MaxConditions) errors.Check($"{path}.when", $"At most {MaxConditions} conditions per rule.");
            var conditions = new List<RuleCondition>();
            for (var c = 0; c < Math.Min(when.Length, MaxConditions); c++)
                if (Condition(when[c], $"{path}.when[{c}]", then?.RouteToTeam, references, errors) is { } condition) conditions.Add(condition);
            if (then is not null) parsed.Add(new RoutingRule(rule.Name?.Trim(), [.. conditions], then));
        }
        var fallback = input.Default is null ? null : Actions(input.Default, "default", references, errors);
        return ([.. parsed], fallback);
    }

    static RuleActions? Actions(ActionsInput input, string path, RuleReferences references, Problems.Errors errors)
    {
        Unknown(errors, path + ".", input.Unknown);
        if (input.Acknowledge is { } ack) Unknown(errors, path + ".acknowledge.", ack.Unknown);
        var team = Reference(input.RouteToTeam, $"{path}.route_to_team", references.Teams, "team", errors);
        var person = Reference(input.RouteToOperator, $"{path}.route_to_operator", references.People, "member of this tenant", errors);
        var policy = Reference(input.ApplySlaPolicy, $"{path}.apply_sla_policy", references.SlaPolicies, "SLA policy", errors);
        errors.Check($"{path}.set_priority", input.SetPriority is not null && !Priorities.All.Contains(input.SetPriority) ? $"The priority is one of {string.Join(", ", Priorities.All)}." : null);
        errors.Check($"{path}.acknowledge.message", input.Acknowledge?.Message is { } message && (string.IsNullOrWhiteSpace(message) || message.Length > 1_000) ? "The message is 1 to 1,000 characters." : null);
        errors.Check($"{path}.require_skills", input.RequireSkills?.FirstOrDefault(s => s.Value is < 1 or > 5 || string.IsNullOrWhiteSpace(s.Key)) is { Key: { } skill } ? $"Skill '{skill}' needs a level of 1 to 5." : null);
        errors.Check($"{path}.require_skills", input.RequireSkills is { Count: > 0 } && input.RouteToTeam is null ? "Required skills choose among a team's members: route to a team too." : null);
        var notify = new List<Guid>();
        for (var i = 0; i < (input.Notify?.Length ?? 0); i++)
            if (Reference(input.Notify![i], $"{path}.notify[{i}]", references.People, "member of this tenant", errors) is { } id) notify.Add(id);

        var actions = new RuleActions(team, person, input.SetPriority, policy, input.Acknowledge is null ? null : new Acknowledgement(input.Acknowledge.Message),
            notify.Count > 0 ? [.. notify] : null, input.RequireSkills is { Count: > 0 } skills ? skills : null);
        if (actions.IsEmpty && input.RouteToTeam is null && input.RouteToOperator is null && input.ApplySlaPolicy is null && input.Notify is not { Length: > 0 })
            errors.Check(path, "Give at least one action: route_to_team, route_to_operator, set_priority, apply_sla_policy, acknowledge or notify.");
        return actions;
    }

    static RuleCondition? Condition(ConditionInput? input, string path, Guid? ruleTeam, RuleReferences references, Problems.Errors errors)
    {
        if (input is null) { errors.Check(path, "The condition is required."); return null; }
        Unknown(errors, path + ".", input.Unknown);
        var field = input.Field;
        var kind = KindOf(field);
        if (kind is null)
        {
            errors.Check($"{path}.field", field is null ? "The field is required." : $"Unknown field '{field}'. Fields: {string.Join(", ", TextFields)}, tags, confidence, metadata.<path>, business_hours.");
            return null;
        }
        var allowed = OpsFor(kind.Value);
        if (input.Op is null || !allowed.Contains(input.Op))
        {
            errors.Check($"{path}.op", input.Op is null ? $"The op is required: {string.Join(", ", allowed)}." : $"'{input.Op}' does not apply to {field}; use {string.Join(", ", allowed)}.");
            return null;
        }

        var value = input.Value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } v ? v : (JsonElement?)null;
        var problem = input.Op switch
        {
            "equals" or "not_equals" => value is not { } x || !IsScalar(x) ? "Compare with a string, number or boolean value." : null,
            "in" or "not_in" => value is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() is 0 or > 1_000 || list.EnumerateArray().Any(item => !IsScalar(item)) ? "The value is a list of 1 to 1,000 strings, numbers or booleans." : null,
            "contains" or "not_contains" => value is not { ValueKind: JsonValueKind.String } text || text.GetString()!.Length == 0 ? "The value is the text to look for." : null,
            "regex" => RegexProblem(value),
            "gt" or "gte" or "lt" or "lte" => value is not { ValueKind: JsonValueKind.Number } ? "The value is a number." : null,
            "between" => input.Min is null || input.Max is null ? "Give min and max."
                // NaN compares false with everything, so it would pass min <= max, match nothing and fail at the database.
                : !double.IsFinite(input.Min.Value) || !double.IsFinite(input.Max.Value) ? "min and max are finite numbers."
                : input.Min > input.Max ? "min is at most max." : null,
            _ => null,
        };
        if (kind == FieldKind.Number && input.Op is "equals" or "not_equals" && value is { ValueKind: not JsonValueKind.Number }) problem = $"{field} is a number; compare with a number.";
        if (problem is not null) errors.Check(input.Op == "between" ? $"{path}.min" : $"{path}.value", problem);
        // Only between uses min and max, but every condition is stored, and the database refuses NaN.
        if (problem is null && (input.Min is { } min && !double.IsFinite(min) || input.Max is { } max && !double.IsFinite(max)))
            errors.Check($"{path}.min", problem = "min and max are finite numbers.");

        Guid? team = null;
        if (kind == FieldKind.Hours)
        {
            team = input.Team is null ? ruleTeam : Reference(input.Team, $"{path}.team", references.Teams, "team", errors);
            if (input.Team is null && ruleTeam is null) errors.Check($"{path}.team", "Name the team whose business hours count, or route the rule to a team.");
        }
        return problem is null ? new RuleCondition(field!, input.Op, value?.Clone(), input.Min, input.Max, team) : null;
    }

    static string? RegexProblem(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } text) return "The value is a regular expression.";
        var pattern = text.GetString()!;
        if (pattern.Length is 0 or > MaxPatternLength) return $"The pattern is 1 to {MaxPatternLength} characters.";
        try
        {
            CompiledRuleSet.PatternOf(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"Invalid regular expression: {e.Message}";
        }
    }

    static Guid? Reference(string? text, string path, ISet<Guid> known, string what, Problems.Errors errors)
    {
        if (text is null) return null;
        if (!Guid.TryParse(text, out var id) || !known.Contains(id)) { errors.Check(path, $"No {what} with the id '{text}' exists here."); return null; }
        return id;
    }

    static void Unknown(Problems.Errors errors, string path, Dictionary<string, JsonElement>? unknown)
    {
        foreach (var name in unknown?.Keys ?? Enumerable.Empty<string>()) errors.Check(path + name, $"Unknown field '{name}'.");
    }

    static bool IsScalar(JsonElement element) => element.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    /// <summary>The operators a field takes, for a form that offers only those; every operator for a field that is not known.</summary>
    public static IReadOnlyList<string> OpsFor(string? field) => KindOf(field) is { } kind ? OpsFor(kind) : Ops;

    static string[] OpsFor(FieldKind kind) => kind switch
    {
        FieldKind.Text => TextOps, FieldKind.Number => NumberOps, FieldKind.List => ListOps, FieldKind.Hours => ["inside", "outside"],
        _ => Ops.Except(["inside", "outside"]).ToArray(),
    };

    internal enum FieldKind { Text, Number, List, Any, Hours }

    internal static FieldKind? KindOf(string? field) => field switch
    {
        null => null,
        "confidence" => FieldKind.Number,
        "tags" => FieldKind.List,
        "business_hours" => FieldKind.Hours,
        _ when TextFields.Contains(field) => FieldKind.Text,
        _ when field.StartsWith("metadata.", StringComparison.Ordinal) && MetadataPath().IsMatch(field) => FieldKind.Any,
        _ => null,
    };

    [GeneratedRegex(@"^metadata(\.[A-Za-z0-9_-]{1,64}){1,8}$")]
    private static partial Regex MetadataPath();

    public static string Format(double number) => number.ToString("0.####", CultureInfo.InvariantCulture);
}
