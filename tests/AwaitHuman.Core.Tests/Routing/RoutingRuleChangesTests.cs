using System.Text.Json;
using AwaitHuman.Core.Routing;

namespace AwaitHuman.Core.Tests.Routing;

public class RoutingRuleChangesTests
{
    static readonly Guid Billing = Guid.Parse("0195f0a0-0000-7000-8000-000000000001");
    static readonly Guid Legal = Guid.Parse("0195f0a0-0000-7000-8000-000000000002");
    static readonly Guid Gold = Guid.Parse("0195f0a0-0000-7000-8000-000000000003");
    static readonly RuleNames Names = new(
        new Dictionary<Guid, string> { [Billing] = "Billing", [Legal] = "Legal" },
        new Dictionary<Guid, string>(),
        new Dictionary<Guid, string> { [Gold] = "Gold" });

    static RoutingRule Rule(string? name, string field, string value, Guid team, string? priority = null) =>
        new(name, [new RuleCondition(field, "equals", JsonDocument.Parse($"\"{value}\"").RootElement.Clone())], new RuleActions(RouteToTeam: team, SetPriority: priority));

    static RoutingRulesView Version(int version, RuleActions? fallback, params RoutingRule[] rules) => new(version, rules, fallback, null, null);

    [Fact]
    public void The_first_version_lists_every_rule_as_added()
    {
        RoutingRuleChanges.Between(null, Version(1, new RuleActions(ApplySlaPolicy: Gold), Rule("Refunds", "reason", "refund", Billing, "high")), Names).ShouldBe([
            "Added rule 1 \"Refunds\": when reason equals \"refund\": to team Billing, priority high.",
            "Default: nothing → SLA Gold.",
        ]);
    }

    [Fact]
    public void A_rule_added_on_top_moves_no_other_but_a_swap_does()
    {
        var refunds = Rule("Refunds", "reason", "refund", Billing);
        var legal = Rule(null, "kind", "approval", Legal);
        var before = Version(1, null, refunds, legal);

        RoutingRuleChanges.Between(before, Version(2, null, Rule("VIP", "customer.email", "a@b", Billing), refunds, legal), Names)
            .ShouldBe(["Added rule 1 \"VIP\": when customer.email equals \"a@b\": to team Billing."]);
        RoutingRuleChanges.Between(before, Version(2, null, legal, refunds), Names)
            .ShouldBe(["Moved rule from 2 to 1.", "Moved rule \"Refunds\" from 1 to 2."]);
    }

    [Fact]
    public void Changed_removed_and_restored_rules_are_named_and_an_identical_version_says_so()
    {
        var before = Version(1, null, Rule("Refunds", "reason", "refund", Billing), Rule("Legal", "kind", "approval", Legal));
        RoutingRuleChanges.Between(before, Version(2, null, Rule("Refunds", "reason", "refund", Billing, "urgent")), Names).ShouldBe([
            "Changed rule 1 \"Refunds\": now also priority urgent.",
            "Removed rule 2 \"Legal\": when kind equals \"approval\": to team Legal.",
        ]);
        RoutingRuleChanges.Between(before, before with { Version = 3, RestoredFrom = 1 }, Names).ShouldBe(["Restored version 1.", "No change to the rules."]);
        RoutingRuleChanges.Between(before, Version(2, null, Rule("Refunds", "reason", "refunds", Legal), Rule("Legal", "kind", "approval", Legal)), Names)
            .ShouldBe(["Changed rule 1 \"Refunds\": when reason equals \"refund\" → when reason equals \"refunds\"; to team Billing → to team Legal."]);
    }

    [Fact]
    public void A_deleted_team_is_named_as_deleted()
    {
        RoutingRuleChanges.Actions(new RuleActions(RouteToTeam: Guid.Empty), Names).ShouldStartWith("to team a deleted team");
    }
}
