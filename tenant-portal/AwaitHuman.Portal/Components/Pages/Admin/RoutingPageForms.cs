using System.Globalization;
using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Routing;

namespace AwaitHuman.Portal.Components.Pages.Admin;

/// <summary>
/// The rules as the routing page edits them: text boxes and choices, turned into the API's
/// <see cref="RoutingRulesInput"/> without judging them. The parser the API uses judges them, and its
/// field paths (<c>rules[0].when[1].value</c>) place each problem under its box.
/// </summary>
public sealed class RuleDraft
{
    public string Name { get; set; } = "";
    public List<ConditionDraft> When { get; } = [];
    public ActionsDraft Then { get; set; } = new();

    public static RuleDraft Of(RoutingRule rule)
    {
        var draft = new RuleDraft { Name = rule.Name ?? "", Then = ActionsDraft.Of(rule.Then) };
        draft.When.AddRange(rule.When.Select(ConditionDraft.Of));
        return draft;
    }

    public RuleInput ToInput() => new(Name.Trim() is { Length: > 0 } name ? name : null, When.Select(c => c.ToInput()).ToArray(), Then.ToInput());

    public static RoutingRulesInput ToInput(IEnumerable<RuleDraft> rules, ActionsDraft fallback) =>
        new(rules.Select(r => r.ToInput()).ToArray(), fallback.IsEmpty ? null : fallback.ToInput());
}

public sealed class ConditionDraft
{
    public const string Metadata = "metadata";

    /// <summary>What the field list offers: the parser's text fields, then the others it knows.</summary>
    public static readonly string[] Fields = [.. RoutingRulesParser.TextFields, "confidence", "tags", "business_hours", Metadata];

    public string Field { get; set; } = "reason";
    /// <summary>For metadata: the dotted path inside it, e.g. <c>plan.tier</c>.</summary>
    public string MetadataPath { get; set; } = "";
    public string Op { get; set; } = "equals";
    public string Value { get; set; } = "";
    public string Min { get; set; } = "";
    public string Max { get; set; } = "";
    public string Team { get; set; } = "";

    public string ApiField => Field == Metadata ? $"{Metadata}.{MetadataPath.Trim()}" : Field;

    public IReadOnlyList<string> Ops => RoutingRulesParser.OpsFor(Field == Metadata ? $"{Metadata}.x" : Field);

    /// <summary>After the field changed: an operator the new field does not take becomes its first.</summary>
    public void KeepOpValid()
    {
        if (!Ops.Contains(Op)) Op = Ops[0];
    }

    public bool TakesValue => Op is not ("exists" or "between" or "inside" or "outside");
    public bool TakesRange => Op == "between";
    public bool TakesTeam => Op is "inside" or "outside";

    public static ConditionDraft Of(RuleCondition c) => new()
    {
        Field = c.Field.StartsWith(Metadata + ".", StringComparison.Ordinal) ? Metadata : c.Field,
        MetadataPath = c.Field.StartsWith(Metadata + ".", StringComparison.Ordinal) ? c.Field[(Metadata.Length + 1)..] : "",
        Op = c.Op,
        Value = c.Value is { } value ? Text(value) : "",
        Min = c.Min is { } min ? RoutingRulesParser.Format(min) : "",
        Max = c.Max is { } max ? RoutingRulesParser.Format(max) : "",
        Team = c.Team?.ToString() ?? "",
    };

    public ConditionInput ToInput() => new(ApiField, Op, TakesValue ? ValueOf() : null,
        TakesRange ? Number(Min) : null, TakesRange ? Number(Max) : null, TakesTeam && Team.Length > 0 ? Team : null);

    /// <summary>
    /// Numbers where the field or operator wants one (confidence, gt, ...), lists for in and not_in,
    /// text otherwise; what does not fit goes as typed, for the parser to name.
    /// </summary>
    JsonElement? ValueOf()
    {
        var numeric = Field == "confidence" || Op is "gt" or "gte" or "lt" or "lte";
        if (Op is "in" or "not_in")
            return JsonSerializer.SerializeToElement(Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(item => numeric && Number(item) is { } n ? (object)n : item).ToArray());
        if (Value.Length == 0) return null;
        return numeric && Number(Value) is { } number ? JsonSerializer.SerializeToElement(number) : JsonSerializer.SerializeToElement(Value);
    }

    static double? Number(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        _ => value.GetRawText(),
    };
}

/// <summary>The actions the page edits (team, priority, SLA policy, acknowledgement); the others a rule may hold through the API are kept as they are.</summary>
public sealed class ActionsDraft
{
    public string Team { get; set; } = "";
    public string Priority { get; set; } = "";
    public string Policy { get; set; } = "";
    public bool Acknowledge { get; set; }
    public string Message { get; set; } = "";
    public RuleActions Kept { get; private init; } = new();

    public bool IsEmpty => Team.Length == 0 && Priority.Length == 0 && Policy.Length == 0 && !Acknowledge && Kept.RouteToOperator is null && Kept.Notify is null;

    public static ActionsDraft Of(RuleActions? actions) => actions is null ? new() : new()
    {
        Team = actions.RouteToTeam?.ToString() ?? "",
        Priority = actions.SetPriority ?? "",
        Policy = actions.ApplySlaPolicy?.ToString() ?? "",
        Acknowledge = actions.Acknowledge is not null,
        Message = actions.Acknowledge?.Message ?? "",
        Kept = new RuleActions(RouteToOperator: actions.RouteToOperator, Notify: actions.Notify, RequireSkills: actions.RequireSkills),
    };

    public ActionsInput ToInput() => new(
        Team.Length > 0 ? Team : null,
        Kept.RouteToOperator?.ToString(),
        Priority.Length > 0 ? Priority : null,
        Policy.Length > 0 ? Policy : null,
        Acknowledge ? new AcknowledgeInput(Message.Length > 0 ? Message : null) : null,
        Kept.Notify?.Select(id => id.ToString()).ToArray(),
        Kept.RequireSkills);
}

/// <summary>A sample escalation for the dry run: the fields rules most often look at.</summary>
public sealed class SampleDraft
{
    public string Kind { get; set; } = "handoff";
    public string Reason { get; set; } = "";
    public string Priority { get; set; } = "normal";
    public string Confidence { get; set; } = "";
    public string CustomerName { get; set; } = "";
    public string CustomerEmail { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Locale { get; set; } = "";
    public string ExternalRef { get; set; } = "";

    static string? Given(string text) => text.Trim() is { Length: > 0 } given ? given : null;

    /// <summary>
    /// A confidence that is not a number is left out here and named by the page. Rules cannot look at a
    /// question's text or an approval's action, so the sample fills them in for those kinds to be valid.
    /// </summary>
    public OpenEscalation ToInput() => new(
        Given(Kind), Given(Reason), null,
        double.TryParse(Confidence, NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) ? confidence : null,
        Given(Priority), Given(ExternalRef),
        new CustomerInput(Given(CustomerName), Given(CustomerEmail), null, null, Given(Channel), Given(Locale)),
        null, null,
        Kind == EscalationKinds.Question ? "(dry run)" : null,
        Kind == EscalationKinds.Approval ? new ActionInput("dry_run", null) : null,
        null, null);

    public bool ConfidenceUnreadable => Confidence.Trim().Length > 0 && !double.TryParse(Confidence, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
