using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwaitHuman.Client.Tests.Json;

public class SerializationTests
{
    static Escalation Read(string json) => JsonSerializer.Deserialize<Escalation>(json, AwaitHumanJson.Options)!;

    [Fact]
    public void An_escalation_reads_every_field_of_the_contract()
    {
        var escalation = Read(Samples.Escalation(Samples.HandBack, "resolved"));

        escalation.Id.ShouldBe(Samples.EscalationId);
        escalation.Kind.ShouldBe(EscalationKind.Approval);
        escalation.Status.ShouldBe(EscalationStatus.Resolved);
        escalation.Owner!.Type.ShouldBe(OwnerType.Ai);
        escalation.Priority.ShouldBe(EscalationPriority.High);
        escalation.ExternalRef.ShouldBe("conv-42");
        escalation.Confidence.ShouldBe(0.4);
        escalation.Customer!.PreferredChannel.ShouldBe(CustomerChannel.Whatsapp);
        escalation.Customer.Locale.ShouldBe("en-GB");
        escalation.Channel.ShouldBe(CustomerChannel.Whatsapp);
        escalation.Notes.ShouldBeNull();
        escalation.Agent!.Trace!.Single().Input!["order"]!.GetValue<string>().ShouldBe("A1");
        escalation.Agent.Trace!.Single().Output!.AsArray().Count.ShouldBe(2);
        escalation.Action!.Arguments!["currency"]!.GetValue<string>().ShouldBe("EUR");
        escalation.Metadata!["plan"]!.GetValue<string>().ShouldBe("gold");
        escalation.DeadlineAt.ShouldBe(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero));
        escalation.Version.ShouldBe(5);
        escalation.Transcript.Single().Role.ShouldBe(MessageRole.Customer);
        escalation.Transcript.Single().Channel.ShouldBe(CustomerChannel.Agent);

        var handBack = escalation.HandBack.ShouldNotBeNull();
        escalation.IsHandedBack.ShouldBeTrue();
        handBack.Outcome.ShouldBe(HandBackOutcome.Edited);
        handBack.Resolution!.InstructionsForAgent.ShouldBe("Tell her 200 EUR are on the way");
        handBack.Resolution.Fields!["refund_id"]!.GetValue<string>().ShouldBe("r_1");
        handBack.Decision!.Decision.ShouldBe(ApprovalDecisionType.Edit);
        handBack.Decision.Arguments!["amount"]!.GetValue<int>().ShouldBe(200);
        handBack.TranscriptDelta.Single().Author!.Name.ShouldBe("Sam");
        handBack.TranscriptDelta.Single().Role.ShouldBe(MessageRole.Operator);
        handBack.Owner.ShouldBe(OwnerType.Ai);
        handBack.MustNotClaim.ShouldBe(["the full amount was refunded"]);
        handBack.DecidedBy!.Kind.ShouldBe("person");
    }

    [Fact]
    public void An_open_escalation_has_no_hand_back()
    {
        var escalation = Read(Samples.Escalation());

        escalation.HandBack.ShouldBeNull();
        escalation.IsHandedBack.ShouldBeFalse();
    }

    [Fact]
    public void An_escalation_written_back_reads_the_same_as_the_server_sent_it()
    {
        var sent = JsonNode.Parse(Samples.Escalation(Samples.HandBack, "resolved"))!;

        var written = JsonSerializer.SerializeToNode(Read(sent.ToJsonString()), AwaitHumanJson.Options)!;

        // Nulls are left out on writing, and "Z" may come back as "+00:00"; everything else must come back as it was.
        JsonNode.DeepEquals(Canonical(written), Canonical(sent)).ShouldBeTrue(written.ToJsonString());
    }

    [Fact]
    public void Values_a_newer_server_sends_read_as_unknown_instead_of_failing()
    {
        var json = Samples.Escalation(Samples.HandBack.Replace("\"edited\"", "\"escalated_to_legal\""), "archived")
            .Replace("\"priority\": \"high\"", "\"priority\": \"critical\"");

        var escalation = Read(json);

        escalation.Status.ShouldBe(EscalationStatus.Unknown);
        escalation.Priority.ShouldBe(EscalationPriority.Unknown);
        escalation.HandBack!.Outcome.ShouldBe(HandBackOutcome.Unknown);
    }

    [Theory]
    [InlineData(EscalationStatus.WaitingForHuman, "\"waiting_for_human\"")]
    [InlineData(EscalationStatus.TimedOut, "\"timed_out\"")]
    public void Enums_are_snake_case_strings(EscalationStatus status, string json)
    {
        JsonSerializer.Serialize(status, AwaitHumanJson.Options).ShouldBe(json);
        JsonSerializer.Deserialize<EscalationStatus>(json, AwaitHumanJson.Options).ShouldBe(status);
    }

    [Fact]
    public void Every_outcome_has_the_name_the_contract_gives_it()
    {
        Enum.GetValues<HandBackOutcome>().Where(outcome => outcome != HandBackOutcome.Unknown)
            .Select(outcome => JsonSerializer.Serialize(outcome, AwaitHumanJson.Options).Trim('"'))
            .ShouldBe(["resolved", "approved", "denied", "edited", "answered", "timed_out", "cancelled", "no_operator_available"]);
    }

    static JsonNode Canonical(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(pair => pair.Value is not null).Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)Canonical(pair.Value!)))),
        JsonArray array => new JsonArray([.. array.Select(item => item is null ? null : Canonical(item))]),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length >= 20 && DateTimeOffset.TryParse(text, out var time) =>
            JsonValue.Create(time.ToUniversalTime().ToString("O")),
        _ => node.DeepClone(),
    };
}
