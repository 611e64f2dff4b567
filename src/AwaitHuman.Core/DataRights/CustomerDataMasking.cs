using AwaitHuman.Core.Escalations;
using Marten;

namespace AwaitHuman.Core.DataRights;

/// <summary>
/// What erasure and retention leave of an escalation's events: the structure (which events, when,
/// who of the staff acted, statuses, deliveries' states) stays; every text the customer, the agent or
/// an operator wrote about the customer and every address of the customer is replaced by
/// <see cref="Erased"/> or removed. Marten applies these rules in place when
/// <c>Advanced.ApplyEventDataMasking</c> runs over a stream; nothing masks events as they are written.
/// </summary>
public static class CustomerDataMasking
{
    public const string Erased = "[erased]";

    public static void ConfigureCustomerDataMasking(this StoreOptions opts)
    {
        var events = opts.Events;
        events.AddMaskingRuleForProtectedInformation<EscalationOpened>(e => e with
        {
            Summary = Erase(e.Summary),
            ExternalRef = null,
            Customer = Mask(e.Customer),
            Transcript = [.. e.Transcript.Select(Mask)],
            Agent = e.Agent is { } agent ? agent with { Trace = null } : null,
            Question = Erase(e.Question),
            Action = e.Action is { } action ? action with { Arguments = null } : null,
            Metadata = null,
        });
        events.AddMaskingRuleForProtectedInformation<AgentContextAppended>(e => e with { Entry = Mask(e.Entry) });
        events.AddMaskingRuleForProtectedInformation<CustomerReplied>(e => e with { Entry = Mask(e.Entry) });
        events.AddMaskingRuleForProtectedInformation<OperatorReplied>(e => e with { Entry = Mask(e.Entry), Route = Mask(e.Route) });
        events.AddMaskingRuleForProtectedInformation<AutomaticMessageSent>(e => e with { Entry = Mask(e.Entry), Route = Mask(e.Route)! });
        events.AddMaskingRuleForProtectedInformation<NoteAdded>(e => e with { Body = Erased });
        events.AddMaskingRuleForProtectedInformation<DraftProposed>(e => e with { Content = Erased });
        events.AddMaskingRuleForProtectedInformation<DraftEdited>(e => e with { EditedContent = Erased });
        events.AddMaskingRuleForProtectedInformation<DraftRejected>(e => e with { Reason = Erase(e.Reason) });
        events.AddMaskingRuleForProtectedInformation<ApprovalDecided>(e => e with { Decision = Mask(e.Decision), HandBack = Mask(e.HandBack) });
        events.AddMaskingRuleForProtectedInformation<EscalationResolved>(e => e with { HandBack = Mask(e.HandBack) });
        events.AddMaskingRuleForProtectedInformation<EscalationCancelled>(e => e with { HandBack = Mask(e.HandBack) });
        events.AddMaskingRuleForProtectedInformation<EscalationTimedOut>(e => e with { HandBack = Mask(e.HandBack) });
        events.AddMaskingRuleForProtectedInformation<EscalationReopened>(e => e with { Reason = Erase(e.Reason) });
        events.AddMaskingRuleForProtectedInformation<EscalationTransferred>(e => e with { Note = Erase(e.Note) });
        events.AddMaskingRuleForProtectedInformation<CustomerAcknowledged>(e => e with { Message = Erased });
        // Providers' errors quote the address they could not reach.
        events.AddMaskingRuleForProtectedInformation<DeliveryDeferred>(e => e with { Error = Erased });
        events.AddMaskingRuleForProtectedInformation<DeliveryFailed>(e => e with { Error = Erased, Suggestion = Erase(e.Suggestion) });
        events.AddMaskingRuleForProtectedInformation<DeliveryStatusReported>(e => e with { ErrorMessage = Erase(e.ErrorMessage) });
    }

    static string? Erase(string? text) => text is null ? null : Erased;

    /// <summary>How the customer prefers to be reached stays (it routes nothing to them without an address).</summary>
    static Customer Mask(Customer customer) => new(null, null, null, null, customer.PreferredChannel, customer.Locale);

    static TranscriptEntry Mask(TranscriptEntry entry) => entry with
    {
        Content = Erased,
        Html = null,
        Attachments = entry.Attachments?.Select(attachment => attachment with { FileName = Erased }).ToArray(),
    };

    static ReplyRoute? Mask(ReplyRoute? route) => route is null ? null : route with
    {
        To = null,
        Template = route.Template is { } template ? template with { Variables = new Dictionary<string, string>() } : null,
    };

    static ApprovalDecision Mask(ApprovalDecision decision) => decision with
    {
        Arguments = null,
        Response = Erase(decision.Response),
        Reason = Erase(decision.Reason),
    };

    static HandBack Mask(HandBack handBack) => handBack with
    {
        Resolution = new Resolution(Erase(handBack.Resolution.Summary), Erase(handBack.Resolution.InstructionsForAgent), null),
        Decision = handBack.Decision is { } decision ? Mask(decision) : null,
        TranscriptDelta = [.. handBack.TranscriptDelta.Select(Mask)],
        MustNotClaim = [.. handBack.MustNotClaim.Select(_ => Erased)],
    };
}
