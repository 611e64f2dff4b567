using System.Text.Json;

namespace AwaitHuman.Core.OperatorActions;

/// <summary>Examples of the operator actions for the OpenAPI document, beside the escalation's own (<see cref="Escalations.EscalationExamples"/>).</summary>
public static class OperatorActionExamples
{
    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static readonly IReadOnlyDictionary<Type, object> All = new Dictionary<Type, object>
    {
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
