using System.Text.Json;
using AwaitHuman.Core.Escalations.AgentActions;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Escalations.OperatorActions;

namespace AwaitHuman.Core.Escalations;

/// <summary>Examples for the OpenAPI document, so /docs shows a request an agent can send as it is.</summary>
public static class EscalationExamples
{
    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static readonly IReadOnlyDictionary<Type, object> All = new Dictionary<Type, object>
    {
        [typeof(OpenEscalation)] = new OpenEscalation(
            Kind: "handoff",
            Reason: "refund_dispute",
            Summary: "Customer disputes a double charge of 49.90 EUR on order 1042.",
            Confidence: 0.42,
            Priority: "high",
            ExternalRef: "conv_8f3a2c",
            Customer: new CustomerInput("Ada Lovelace", "ada@example.com", "+14155550123", null, "email", "en-GB"),
            Transcript:
            [
                new TranscriptInput("customer", "I was charged twice for order 1042.", DateTimeOffset.Parse("2026-11-24T09:00:00Z")),
                new TranscriptInput("agent", "I can see two charges. Let me bring in a colleague.", DateTimeOffset.Parse("2026-11-24T09:00:05Z")),
            ],
            Agent: new AgentInput("support-bot", "3.1.0", [new ToolCallInput("lookup_order", Json("""{"order":1042}"""), Json("""{"charges":2}"""), null)]),
            Question: null,
            Action: null,
            Metadata: Json("""{"tier":"gold"}"""),
            DeadlineSeconds: 3600),
        [typeof(AppendMessage)] = new AppendMessage("customer", "Any news on my refund?", null),
        [typeof(ProposeDraft)] = new ProposeDraft("We have refunded the duplicate charge; it arrives in 3-5 days."),
        [typeof(CancelEscalation)] = new CancelEscalation("The customer left the conversation."),
        [typeof(ReplyToCustomer)] = new ReplyToCustomer("Hi Ada, I am refunding the second charge now.", null, null),
        [typeof(AddNote)] = new AddNote("Billing confirms a duplicate capture."),
        [typeof(ApproveDraft)] = new ApproveDraft("We refunded 49.90 EUR today; it arrives in 3-5 days.", null),
        [typeof(RejectDraft)] = new RejectDraft("We do not promise delivery dates."),
        [typeof(DecideApproval)] = new DecideApproval("edit", Json("""{"order":1042,"amount":20.00}"""), null, "Only the shipping part is refundable."),
        [typeof(ResolveEscalation)] = new ResolveEscalation("resolved",
            new ResolutionInput("Refunded the duplicate charge.", "Confirm the refund arrives in 3-5 days, then close the conversation.", Json("""{"refund_id":"re_123","amount":49.90}""")),
            ["that the customer was charged only once"]),
        [typeof(ReopenEscalation)] = new ReopenEscalation("The customer wrote again."),
    };
}
