using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Teams;

namespace AwaitHuman.Core.Routing;

/// <summary>What rules look at: the escalation's fields, read once per evaluation.</summary>
public sealed class RoutingFacts
{
    public string Kind { get; init; } = "";
    public string Priority { get; init; } = "normal";
    public string Reason { get; init; } = "";
    public string Channel { get; init; } = AwaitHuman.Connectors.ChannelKinds.Agent;
    public double? Confidence { get; init; }
    public string? ExternalRef { get; init; }
    public Customer Customer { get; init; } = new(null, null, null, null, null, null);
    public JsonElement? Metadata { get; init; }

    public static RoutingFacts Of(Escalation e) => new()
    {
        Kind = e.Kind, Priority = e.Priority, Reason = e.Reason, Channel = e.Channel, Confidence = e.Confidence,
        ExternalRef = e.ExternalRef, Customer = e.Customer, Metadata = e.Metadata,
    };

    /// <summary>The primary language subtag of the customer's locale: <c>en</c> for <c>en-GB</c>.</summary>
    public string? Language => Customer.Locale is { Length: > 0 } locale ? locale.Split('-', '_')[0].ToLowerInvariant() : null;
}

/// <summary>A team's name and hours, for conditions on business hours.</summary>
public sealed record TeamCalendar(string Name, BusinessCalendar Calendar);

/// <summary>The rule that decided, the actions to take and why, in words the console shows.</summary>
/// <param name="Position">1-based rule number; null for the default or when nothing matched.</param>
public sealed record RoutingMatch(int? Position, string? RuleName, int Version, RuleActions? Actions, string Why);

/// <summary>How one rule fared in a dry run.</summary>
public sealed record RuleTrace(int Position, string? Name, bool Matched, string Explanation);

/// <summary>
/// A rule set made ready to run: field readers resolved to slots, values parsed, regular
/// expressions compiled (linear-time engine), once per version. Evaluation is a pure function of
/// the facts, the teams' calendars and the time: no I/O, one small array per call.
/// </summary>
public sealed class CompiledRuleSet
{
    readonly Rule[] _rules;
    readonly RuleActions? _default;
    readonly string[] _slotFields;
    readonly string[][] _slotPaths;

    public int Version { get; }
    public int Count => _rules.Length;

    public static CompiledRuleSet Empty { get; } = new([], null, 0);

    /// <summary>
    /// Compiled to IL once per rule-set version: a tenth of the linear-time engine's cost per match on
    /// short fields. A pattern that backtracks badly stops at the timeout and counts as no match.
    /// </summary>
    public static Regex PatternOf(string pattern) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);

    static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public CompiledRuleSet(IReadOnlyList<RoutingRule> rules, RuleActions? fallback, int version)
    {
        Version = version;
        _default = fallback;
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        _rules = rules.Select((rule, index) => new Rule(index + 1, rule.Name, rule.Then,
            rule.When.Select(condition => Compile(condition, condition.Field == "business_hours" ? -1 : SlotOf(slots, condition.Field))).ToArray())).ToArray();
        _slotFields = slots.OrderBy(s => s.Value).Select(s => s.Key).ToArray();
        _slotPaths = _slotFields.Select(f => f == "tags" ? ["tags"] : f.StartsWith("metadata.", StringComparison.Ordinal) ? f.Split('.')[1..] : []).ToArray();
    }

    static int SlotOf(Dictionary<string, int> slots, string field)
    {
        if (!slots.TryGetValue(field, out var slot)) slots[field] = slot = slots.Count;
        return slot;
    }

    /// <summary>The first rule whose conditions all hold, else the default, else nothing.</summary>
    public RoutingMatch Evaluate(RoutingFacts facts, IReadOnlyDictionary<Guid, TeamCalendar> teams, DateTimeOffset now)
    {
        var read = new Fact[_slotFields.Length];
        foreach (var rule in _rules)
        {
            if (!Holds(rule, facts, read, teams, now, out _)) continue;
            return new RoutingMatch(rule.Position, rule.Name, Version, rule.Then, $"routed by rule {rule.Position}{NameOf(rule)} v{Version}: {Explain(rule, facts, read, teams)}");
        }
        return _default is null
            ? new RoutingMatch(null, null, Version, null, Version == 0 ? "no routing rules: waits in the tenant's queue" : $"no rule of v{Version} matched and there is no default: waits in the tenant's queue")
            : new RoutingMatch(null, null, Version, _default, $"routed by the default of v{Version}: no rule matched");
    }

    /// <summary>Every rule up to the deciding one, with why it matched or where it failed.</summary>
    public (RoutingMatch Match, RuleTrace[] Trace) Explain(RoutingFacts facts, IReadOnlyDictionary<Guid, TeamCalendar> teams, DateTimeOffset now)
    {
        var read = new Fact[_slotFields.Length];
        var trace = new List<RuleTrace>();
        foreach (var rule in _rules)
        {
            var holds = Holds(rule, facts, read, teams, now, out var failed);
            trace.Add(new RuleTrace(rule.Position, rule.Name, holds, holds ? Explain(rule, facts, read, teams) : Describe(failed!, Read(failed!, facts, read), teams, matched: false)));
            if (holds) break;
        }
        return (Evaluate(facts, teams, now), [.. trace]);
    }

    static string NameOf(Rule rule) => rule.Name is null ? "" : $" ({rule.Name})";

    bool Holds(Rule rule, RoutingFacts facts, Fact[] read, IReadOnlyDictionary<Guid, TeamCalendar> teams, DateTimeOffset now, out Condition? failed)
    {
        foreach (var condition in rule.When)
        {
            var holds = condition.Slot < 0
                ? IsOpen(condition, teams, now) == (condition.Op == Op.Inside)
                : condition.Test(Read(condition, facts, read));
            if (!holds) { failed = condition; return false; }
        }
        failed = null;
        return true;
    }

    static bool IsOpen(Condition condition, IReadOnlyDictionary<Guid, TeamCalendar> teams, DateTimeOffset now) =>
        !teams.TryGetValue(condition.Team!.Value, out var team) || team.Calendar.IsOpen(now);

    Fact Read(Condition condition, RoutingFacts facts, Fact[] read)
    {
        if (condition.Slot < 0) return default;
        ref var fact = ref read[condition.Slot];
        if (fact.Kind == FactKind.NotRead) fact = ReadField(_slotFields[condition.Slot], _slotPaths[condition.Slot], facts);
        return fact;
    }

    static Fact ReadField(string field, string[] path, RoutingFacts facts) => field switch
    {
        "kind" => Fact.OfText(facts.Kind),
        "priority" => Fact.OfText(facts.Priority),
        "reason" => Fact.OfText(facts.Reason),
        "channel" => Fact.OfText(facts.Channel),
        "language" => Fact.OfText(facts.Language),
        "locale" or "customer.locale" => Fact.OfText(facts.Customer.Locale),
        "external_ref" => Fact.OfText(facts.ExternalRef),
        "customer.name" => Fact.OfText(facts.Customer.Name),
        "customer.email" => Fact.OfText(facts.Customer.Email),
        "customer.phone" => Fact.OfText(facts.Customer.Phone),
        "customer.whatsapp" => Fact.OfText(facts.Customer.Whatsapp),
        "customer.preferred_channel" => Fact.OfText(facts.Customer.PreferredChannel),
        "confidence" => facts.Confidence is { } confidence ? Fact.OfNumber(confidence) : Fact.Missing,
        _ => Metadata(facts.Metadata, path),
    };

    static Fact Metadata(JsonElement? metadata, string[] path)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } element) return Fact.Missing;
        foreach (var segment in path)
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element)) return Fact.Missing;
        return element.ValueKind switch
        {
            JsonValueKind.String => Fact.OfText(element.GetString()),
            JsonValueKind.Number => Fact.OfNumber(element.GetDouble()),
            JsonValueKind.True => Fact.OfText("true"),
            JsonValueKind.False => Fact.OfText("false"),
            JsonValueKind.Array => Fact.OfList(element.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()).ToArray()),
            _ => Fact.Missing,
        };
    }

    string Explain(Rule rule, RoutingFacts facts, Fact[] read, IReadOnlyDictionary<Guid, TeamCalendar> teams) =>
        rule.When.Length == 0 ? "no conditions" : string.Join(" and ", rule.When.Select(c => Describe(c, Read(c, facts, read), teams, matched: true)));

    static string Describe(Condition c, Fact fact, IReadOnlyDictionary<Guid, TeamCalendar> teams, bool matched)
    {
        if (c.Slot < 0)
        {
            var name = teams.TryGetValue(c.Team!.Value, out var team) ? team.Name : c.Team.ToString();
            var wanted = c.Op == Op.Inside ? "inside" : "outside";
            return matched ? $"{wanted} business hours of {name}" : $"not {wanted} business hours of {name}";
        }
        var actual = fact.Display();
        var expected = c.ExpectedDisplay();
        if (!matched) return $"{c.Field}={actual}, wanted {c.OpName} {expected}".TrimEnd();
        return c.Op switch
        {
            Op.Equals => $"{c.Field}={actual}",
            Op.Exists => $"{c.Field} is set",
            Op.Contains => $"{c.Field} contains {expected}",
            Op.NotContains => $"{c.Field} does not contain {expected}",
            Op.Regex => $"{c.Field} matches /{expected}/",
            _ => $"{c.Field}={actual} ({c.OpName} {expected})",
        };
    }

    static Condition Compile(RuleCondition c, int slot)
    {
        var op = c.Op switch
        {
            "equals" => Op.Equals, "not_equals" => Op.NotEquals, "in" => Op.In, "not_in" => Op.NotIn, "contains" => Op.Contains,
            "not_contains" => Op.NotContains, "regex" => Op.Regex, "gt" => Op.Gt, "gte" => Op.Gte, "lt" => Op.Lt, "lte" => Op.Lte,
            "between" => Op.Between, "exists" => Op.Exists, "inside" => Op.Inside, "outside" => Op.Outside,
            _ => throw new ArgumentException($"Unknown op {c.Op}"),
        };
        var values = c.Value is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToArray() : c.Value is { } one ? [one] : [];
        return new Condition(c.Field, c.Op, op, slot, c.Team,
            values.Select(v => v.ValueKind switch { JsonValueKind.String => v.GetString()!, JsonValueKind.True => "true", JsonValueKind.False => "false", _ => v.GetRawText() }).ToArray(),
            values.Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.TryParse(v.ValueKind == JsonValueKind.String ? v.GetString() : null, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN).ToArray(),
            c.Min ?? double.NaN, c.Max ?? double.NaN,
            op == Op.Regex ? PatternOf(values[0].GetString()!) : null);
    }

    sealed record Rule(int Position, string? Name, RuleActions Then, Condition[] When);

    enum Op { Equals, NotEquals, In, NotIn, Contains, NotContains, Regex, Gt, Gte, Lt, Lte, Between, Exists, Inside, Outside }

    sealed class Condition(string fieldName, string opName, Op op, int slot, Guid? team, string[] texts, double[] numbers, double min, double max, Regex? regex)
    {
        public string Field => fieldName;
        public string OpName => opName;
        public Op Op => op;
        public int Slot => slot;
        public Guid? Team => team;

        public bool Test(in Fact fact) => op switch
        {
            Op.Exists => fact.Kind != FactKind.Missing,
            Op.Equals => AnyEqual(fact),
            Op.In => AnyEqual(fact),
            Op.NotEquals or Op.NotIn => !AnyEqual(fact),
            Op.Contains => Contains(fact),
            Op.NotContains => !Contains(fact),
            Op.Regex => fact.Kind == FactKind.Text && Matches(regex!, fact.Text!),
            Op.Gt => fact.Kind == FactKind.Number && fact.Number > numbers[0],
            Op.Gte => fact.Kind == FactKind.Number && fact.Number >= numbers[0],
            Op.Lt => fact.Kind == FactKind.Number && fact.Number < numbers[0],
            Op.Lte => fact.Kind == FactKind.Number && fact.Number <= numbers[0],
            Op.Between => fact.Kind == FactKind.Number && fact.Number >= min && fact.Number <= max,
            _ => false,
        };

        static bool Matches(Regex regex, string text)
        {
            try { return regex.IsMatch(text); }
            catch (RegexMatchTimeoutException) { return false; }
        }

        bool AnyEqual(in Fact fact)
        {
            switch (fact.Kind)
            {
                case FactKind.Text:
                    foreach (var text in texts) if (string.Equals(fact.Text, text, StringComparison.OrdinalIgnoreCase)) return true;
                    return false;
                case FactKind.Number:
                    foreach (var number in numbers) if (fact.Number == number) return true;
                    return false;
                case FactKind.List:
                    // A list field "in" values: any of its items is one of them.
                    foreach (var item in fact.List!) foreach (var text in texts) if (string.Equals(item, text, StringComparison.OrdinalIgnoreCase)) return true;
                    return false;
                default:
                    return false;
            }
        }

        bool Contains(in Fact fact)
        {
            if (fact.Kind == FactKind.Text) return fact.Text!.Contains(texts[0], StringComparison.OrdinalIgnoreCase);
            if (fact.Kind != FactKind.List) return false;
            foreach (var item in fact.List!) if (string.Equals(item, texts[0], StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        public string ExpectedDisplay() => op switch
        {
            Op.Between => $"[{RoutingRulesParser.Format(min)}, {RoutingRulesParser.Format(max)}]",
            Op.Exists => "",
            Op.In or Op.NotIn => $"[{string.Join(", ", texts)}]",
            _ => texts.Length > 0 ? texts[0] : "",
        };
    }

    enum FactKind : byte { NotRead, Missing, Text, Number, List }

    readonly struct Fact(FactKind kind, string? text, double number, string[]? list)
    {
        public FactKind Kind => kind;
        public string? Text => text;
        public double Number => number;
        public string[]? List => list;

        public static Fact Missing => new(FactKind.Missing, null, 0, null);
        public static Fact OfText(string? text) => text is null ? Missing : new(FactKind.Text, text, 0, null);
        public static Fact OfNumber(double number) => new(FactKind.Number, null, number, null);
        public static Fact OfList(string[] items) => new(FactKind.List, null, 0, items);

        public string Display() => kind switch
        {
            FactKind.Text => text!,
            FactKind.Number => RoutingRulesParser.Format(number),
            FactKind.List => $"[{string.Join(", ", list!)}]",
            _ => "(not set)",
        };
    }
}
