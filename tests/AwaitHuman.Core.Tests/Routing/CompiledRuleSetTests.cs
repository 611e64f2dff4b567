using System.Text.Json;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Routing;
using AwaitHuman.Core.Teams;

namespace AwaitHuman.Core.Tests.Routing;

public class CompiledRuleSetTests
{
    static readonly Guid Billing = Guid.Parse("0195f0a0-0000-7000-8000-000000000001");
    static readonly Guid Legal = Guid.Parse("0195f0a0-0000-7000-8000-000000000002");
    static readonly Guid Vip = Guid.Parse("0195f0a0-0000-7000-8000-000000000003");
    static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T10:00:00Z");
    static readonly IReadOnlyDictionary<Guid, TeamCalendar> NoTeams = new Dictionary<Guid, TeamCalendar>();

    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    static RoutingFacts Facts(string priority = "high", string reason = "refund_dispute", double? confidence = 0.42, string? locale = "en-GB", string metadata = """{"tier":"gold","order_total":149.5,"tags":["vip","billing"],"account":{"plan":"enterprise"}}""", string? email = "ada@example.com") => new()
    {
        Kind = "handoff", Priority = priority, Reason = reason, Confidence = confidence, Channel = "email",
        Customer = new Customer("Ada Lovelace", email, "+14155550123", null, "email", locale),
        Metadata = Json(metadata),
    };

    static RoutingRule Rule(Guid team, params RuleCondition[] when) => new(null, when, new RuleActions(RouteToTeam: team));

    static RuleCondition C(string field, string op, string? value = null, double? min = null, double? max = null) =>
        new(field, op, value is null ? null : Json(value), min, max);

    static bool Matches(RuleCondition condition, RoutingFacts? facts = null) =>
        new CompiledRuleSet([Rule(Billing, condition)], null, 1).Evaluate(facts ?? Facts(), NoTeams, Now).Position == 1;

    [Theory]
    [InlineData("priority", "equals", "\"high\"", true)]
    [InlineData("priority", "equals", "\"HIGH\"", true)]
    [InlineData("priority", "equals", "\"urgent\"", false)]
    [InlineData("priority", "not_equals", "\"urgent\"", true)]
    [InlineData("reason", "in", "[\"legal_threat\",\"refund_dispute\"]", true)]
    [InlineData("reason", "in", "[\"legal_threat\"]", false)]
    [InlineData("reason", "not_in", "[\"legal_threat\"]", true)]
    [InlineData("customer.email", "contains", "\"@example.com\"", true)]
    [InlineData("customer.email", "not_contains", "\"@example.com\"", false)]
    [InlineData("customer.email", "regex", "\"^[a-z]+@example\\\\.com$\"", true)]
    [InlineData("customer.email", "regex", "\"@vip\\\\.\"", false)]
    [InlineData("language", "equals", "\"en\"", true)]
    [InlineData("locale", "equals", "\"en-GB\"", true)]
    [InlineData("kind", "equals", "\"handoff\"", true)]
    [InlineData("channel", "equals", "\"email\"", true)]
    [InlineData("confidence", "lt", "0.5", true)]
    [InlineData("confidence", "gte", "0.5", false)]
    [InlineData("confidence", "gt", "0.42", false)]
    [InlineData("confidence", "lte", "0.42", true)]
    [InlineData("confidence", "equals", "0.42", true)]
    [InlineData("metadata.tier", "equals", "\"gold\"", true)]
    [InlineData("metadata.tier", "in", "[\"silver\",\"gold\"]", true)]
    [InlineData("metadata.order_total", "gt", "100", true)]
    [InlineData("metadata.order_total", "equals", "149.5", true)]
    [InlineData("metadata.order_total", "lt", "100", false)]
    [InlineData("metadata.account.plan", "equals", "\"enterprise\"", true)]
    [InlineData("metadata.account.plan", "exists", null, true)]
    [InlineData("metadata.missing", "exists", null, false)]
    [InlineData("metadata.missing", "equals", "\"x\"", false)]
    [InlineData("metadata.missing", "not_equals", "\"x\"", true)]
    [InlineData("tags", "contains", "\"vip\"", true)]
    [InlineData("tags", "contains", "\"legal\"", false)]
    [InlineData("tags", "in", "[\"legal\",\"billing\"]", true)]
    [InlineData("tags", "not_contains", "\"legal\"", true)]
    public void Each_operator_tests_its_field(string field, string op, string? value, bool expected) =>
        Matches(C(field, op, value)).ShouldBe(expected);

    [Fact]
    public void Between_is_inclusive_and_needs_a_number()
    {
        Matches(C("confidence", "between", min: 0.42, max: 0.6)).ShouldBeTrue();
        Matches(C("confidence", "between", min: 0.5, max: 0.6)).ShouldBeFalse();
        Matches(C("confidence", "between", min: 0, max: 1), Facts(confidence: null)).ShouldBeFalse();
        Matches(C("metadata.order_total", "between", min: 100, max: 150)).ShouldBeTrue();
    }

    [Fact]
    public void The_first_matching_rule_wins_in_order_and_says_why()
    {
        var rules = new CompiledRuleSet(
        [
            new RoutingRule("legal", [C("reason", "equals", "\"legal_threat\"")], new RuleActions(RouteToTeam: Legal)),
            new RoutingRule("urgent refunds", [C("priority", "equals", "\"urgent\""), C("reason", "equals", "\"refund_dispute\"")], new RuleActions(RouteToTeam: Vip)),
            new RoutingRule(null, [C("reason", "equals", "\"refund_dispute\"")], new RuleActions(RouteToTeam: Billing)),
            new RoutingRule(null, [], new RuleActions(RouteToTeam: Legal)),
        ], new RuleActions(RouteToTeam: Legal), 7);

        var match = rules.Evaluate(Facts(priority: "urgent"), NoTeams, Now);
        match.Position.ShouldBe(2);
        match.Actions!.RouteToTeam.ShouldBe(Vip);
        match.Why.ShouldBe("routed by rule 2 (urgent refunds) v7: priority=urgent and reason=refund_dispute");

        rules.Evaluate(Facts(priority: "high"), NoTeams, Now).Position.ShouldBe(3);
        rules.Evaluate(Facts(reason: "other"), NoTeams, Now).Why.ShouldBe("routed by rule 4 v7: no conditions");
    }

    [Fact]
    public void Without_a_match_the_default_applies_and_without_a_default_nothing()
    {
        var withDefault = new CompiledRuleSet([Rule(Billing, C("reason", "equals", "\"legal_threat\""))], new RuleActions(RouteToTeam: Legal), 3);
        var match = withDefault.Evaluate(Facts(), NoTeams, Now);
        match.Position.ShouldBeNull();
        match.Actions!.RouteToTeam.ShouldBe(Legal);
        match.Why.ShouldBe("routed by the default of v3: no rule matched");

        var without = new CompiledRuleSet([Rule(Billing, C("reason", "equals", "\"legal_threat\""))], null, 3);
        without.Evaluate(Facts(), NoTeams, Now).Actions.ShouldBeNull();
        CompiledRuleSet.Empty.Evaluate(Facts(), NoTeams, Now).Why.ShouldContain("no routing rules");
    }

    [Fact]
    public void Business_hours_conditions_follow_the_team_calendar()
    {
        var berlin = BusinessCalendar.Of(new BusinessHours("Europe/Berlin", [new OpeningHours("tuesday", "09:00", "17:00")], []));
        var teams = new Dictionary<Guid, TeamCalendar> { [Billing] = new("Billing", berlin) };
        var rules = new CompiledRuleSet(
        [
            new RoutingRule("after hours", [new RuleCondition("business_hours", "outside", Team: Billing)], new RuleActions(RouteToTeam: Legal)),
        ], new RuleActions(RouteToTeam: Billing), 1);

        // 2026-11-24 is a Tuesday; 10:00 UTC is 11:00 in Berlin (open), 17:30 UTC is 18:30 (closed).
        rules.Evaluate(Facts(), teams, Now).Actions!.RouteToTeam.ShouldBe(Billing);
        var evening = rules.Evaluate(Facts(), teams, DateTimeOffset.Parse("2026-11-24T17:30:00Z"));
        evening.Actions!.RouteToTeam.ShouldBe(Legal);
        evening.Why.ShouldBe("routed by rule 1 (after hours) v1: outside business hours of Billing");
    }

    [Fact]
    public void A_dry_run_explains_where_each_rule_failed()
    {
        var rules = new CompiledRuleSet(
        [
            new RoutingRule("legal", [C("reason", "equals", "\"legal_threat\"")], new RuleActions(RouteToTeam: Legal)),
            new RoutingRule("cheap", [C("metadata.order_total", "lt", "100")], new RuleActions(RouteToTeam: Legal)),
            new RoutingRule("gold", [C("metadata.tier", "equals", "\"gold\"")], new RuleActions(RouteToTeam: Vip)),
            new RoutingRule("never reached", [], new RuleActions(RouteToTeam: Billing)),
        ], null, 2);

        var (match, trace) = rules.Explain(Facts(), NoTeams, Now);
        match.Position.ShouldBe(3);
        trace.Length.ShouldBe(3);
        trace[0].Explanation.ShouldBe("reason=refund_dispute, wanted equals legal_threat");
        trace[1].Explanation.ShouldBe("metadata.order_total=149.5, wanted lt 100");
        trace[2].Matched.ShouldBeTrue();
        trace[2].Explanation.ShouldBe("metadata.tier=gold");
    }
}
