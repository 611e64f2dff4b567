using System.Text.Json;
using AwaitHuman.Core.Assignment;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;

namespace AwaitHuman.Core.Routing;

/// <summary>Examples for the OpenAPI document: teams, rules, SLA policies, presence and transfers as an admin or operator sends them.</summary>
public static class RoutingExamples
{
    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    const string Billing = "0195f0a0-7c1d-7b3e-9a40-2f1c3d4e5a61";
    const string Legal = "0195f0a0-7c1d-7b3e-9a40-2f1c3d4e5a62";
    const string Ada = "0195f0a0-7c1d-7b3e-9a40-2f1c3d4e5a70";
    const string Gold = "0195f0a0-7c1d-7b3e-9a40-2f1c3d4e5a80";

    static readonly RoutingRulesInput Rules = new(
    [
        new RuleInput("Legal threats", [new ConditionInput("reason", "in", Json("""["legal_threat","gdpr_request"]"""))], new ActionsInput(RouteToTeam: Legal, SetPriority: "urgent")),
        new RuleInput("Gold refunds", [
                new ConditionInput("reason", "equals", Json("\"refund_dispute\"")),
                new ConditionInput("metadata.tier", "equals", Json("\"gold\"")),
                new ConditionInput("confidence", "between", Min: 0, Max: 0.5)],
            new ActionsInput(RouteToTeam: Billing, ApplySlaPolicy: Gold, Acknowledge: new AcknowledgeInput("Thanks, Ada. A specialist will reply by {reply_by}."), RequireSkills: new() { ["refunds"] = 3 })),
        new RuleInput("After hours", [new ConditionInput("business_hours", "outside", Team: Billing)], new ActionsInput(RouteToTeam: Legal)),
    ], new ActionsInput(RouteToTeam: Billing));

    public static readonly IReadOnlyDictionary<Type, object> All = new Dictionary<Type, object>
    {
        [typeof(TeamInput)] = new TeamInput("Billing", AssignmentStrategies.LeastLoaded, AssignmentModes.Offer, 60, 600,
            new BusinessHours("Europe/Berlin", [new OpeningHours("monday", "09:00", "17:00"), new OpeningHours("tuesday", "09:00", "17:00")], ["2026-12-25"]),
            [new TeamMemberInput(Guid.Parse(Ada), new() { ["refunds"] = 4, ["german"] = 5 }, 4, new() { ["whatsapp"] = 2 }, false)]),
        [typeof(TeamMemberInput)] = new TeamMemberInput(null, new() { ["refunds"] = 2 }, 3, new() { ["email"] = 3 }, true),
        [typeof(RoutingRulesInput)] = Rules,
        [typeof(RoutingDryRun)] = new RoutingDryRun(EscalationExamples.All[typeof(Escalations.Opening.OpenEscalation)] as Escalations.Opening.OpenEscalation, DateTimeOffset.Parse("2026-11-24T10:00:00Z")),
        [typeof(SlaPolicyInput)] = new SlaPolicyInput("Gold", 300, 3600, false,
            [new SlaStepInput(120, SlaActions.Reassign), new SlaStepInput(300, SlaActions.NotifySupervisors), new SlaStepInput(600, SlaActions.Widen, Legal), new SlaStepInput(1800, SlaActions.TimeOut)]),
        [typeof(SetPresence)] = new SetPresence(PresenceStatuses.Online),
        [typeof(TransferEscalation)] = new TransferEscalation(Legal, null, "Customer mentions a lawyer."),
    };
}
