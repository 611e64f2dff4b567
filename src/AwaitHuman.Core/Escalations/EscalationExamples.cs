using System.Text.Json;
using AwaitHuman.Core.Escalations.AgentActions;
using AwaitHuman.Core.Escalations.Opening;

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
    };
}
