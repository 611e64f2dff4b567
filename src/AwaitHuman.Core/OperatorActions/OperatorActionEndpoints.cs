using System.Text.Json;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Channels.Sending;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.OperatorActions;

/// <param name="Content">The text; with a template, what the transcript shows for it (the template's own text, say).</param>
/// <param name="Channel">The channel to reply on; the customer's preferred one when left out.</param>
/// <param name="Template">An approved template instead of free text (WhatsApp outside the 24-hour window).</param>
public sealed record ReplyToCustomer(string? Content, string? Channel, ReplyTemplate? Template);

/// <param name="ContentSid">The provider's template id (Twilio Content SID, <c>HX...</c>).</param>
/// <param name="Variables">The template's variables by name or number, e.g. <c>{"1": "Anna"}</c>.</param>
public sealed record ReplyTemplate(string? ContentSid, Dictionary<string, string>? Variables);

public sealed record AddNote(string? Body);

/// <param name="Content">Other text to send instead of the draft's own; the draft then counts as edited.</param>
/// <param name="Channel">The channel to send on; the customer's preferred one when left out.</param>
public sealed record ApproveDraft(string? Content, string? Channel);

public sealed record RejectDraft(string? Reason);

/// <param name="Decision"><c>accept</c>, <c>edit</c> (with <c>arguments</c>), <c>respond</c> (with <c>response</c>) or <c>deny</c>.</param>
public sealed record DecideApproval(string? Decision, JsonElement? Arguments, string? Response, string? Reason);

public sealed record ResolutionInput(string? Summary, string? InstructionsForAgent, JsonElement? Fields);

/// <param name="MustNotClaim">What the agent must no longer tell the customer, e.g. "that the refund is approved".</param>
public sealed record ResolveEscalation(string? Outcome, ResolutionInput? Resolution, string[]? MustNotClaim);

public sealed record ReopenEscalation(string? Reason);

/// <summary>
/// What operators do, with their own credentials (session, personal token or app token). Machine
/// credentials have no role and get 403. The functions are <see cref="OperatorActionUseCases"/>'s,
/// which the console calls too, through <see cref="EscalationActions"/>.
/// </summary>
public static class OperatorActionEndpoints
{
    const string Tag = "Operator actions";

    [WolverinePost("/v1/escalations/{id}/claim", OperationId = "ClaimEscalation")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Takes ownership with a lease; 409 names the owner when someone else holds it")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Claim(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "claim", id, (object?)null, () => OperatorActionUseCases.ClaimAsync(Caller.Of(context), id, session, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/release", OperationId = "ReleaseEscalation")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Gives the escalation back to the queue")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Release(Guid id, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "release", id, (object?)null, () => OperatorActionUseCases.ReleaseAsync(Caller.Of(context), id, session, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/reply", OperationId = "ReplyToCustomer")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Replies to the customer over their channel, claiming the escalation first if nobody owns it")]
    [AcceptsIdempotencyKey]
    [EndpointDescription("The reply is checked against the channel's rules first (a connection for the channel, length, opt-out, WhatsApp's 24-hour window: outside it send a `template`), then recorded and handed to the channel's connector through the outbox; its delivery shows in `deliveries` and as `escalation.delivery_updated` events. On the `agent` channel the agent relays it from the `escalation.operator_replied` webhook.")]
    public static async Task<IResult> Reply(
        Guid id, ReplyToCustomer request, IDocumentSession session, IMessageBus bus, ConnectorCatalog catalog, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "reply", id, request, () => OperatorActionUseCases.ReplyAsync(Caller.Of(context), id, request, session, bus, catalog, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/notes", OperationId = "AddEscalationNote")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Adds an internal note that only people of the tenant see")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Note(Guid id, AddNote request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "note", id, request, () => OperatorActionUseCases.NoteAsync(Caller.Of(context), id, request, session, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/drafts/{draftId}/approve", OperationId = "ApproveDraft")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Sends the agent's draft to the customer, as written or with the given content")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Approve(
        Guid id, Guid draftId, ApproveDraft request, IDocumentSession session, IMessageBus bus, ConnectorCatalog catalog, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "approve", id, new { draftId, request }, () => OperatorActionUseCases.ApproveAsync(Caller.Of(context), id, draftId, request, session, bus, catalog, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/drafts/{draftId}/reject", OperationId = "RejectDraft")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Rejects the agent's draft")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Reject(Guid id, Guid draftId, RejectDraft request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "reject", id, new { draftId, request }, () => OperatorActionUseCases.RejectAsync(Caller.Of(context), id, draftId, request, session, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/decision", OperationId = "DecideApproval")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Answers an approval request: accept, edit the arguments, respond instead, or deny; hands back to the agent")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Decide(Guid id, DecideApproval request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "decide", id, request, () => OperatorActionUseCases.DecideAsync(Caller.Of(context), id, request, session, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/resolve", OperationId = "ResolveEscalation")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Ends the escalation and hands control back to the agent with a structured resolution")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Resolve(Guid id, ResolveEscalation request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "resolve", id, request, () => OperatorActionUseCases.ResolveAsync(Caller.Of(context), id, request, session, clock, ct), clock, ct);

    [WolverinePost("/v1/escalations/{id}/reopen", OperationId = "ReopenEscalation")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Puts a finished escalation back in the queue for humans")]
    [AcceptsIdempotencyKey]
    public static async Task<IResult> Reopen(Guid id, ReopenEscalation request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        await OperatorActionIdempotency.RunAsync(context, session, "reopen", id, request, () => OperatorActionUseCases.ReopenAsync(Caller.Of(context), id, request, session, clock, ct), clock, ct);
}

/// <summary>
/// The operator actions as use cases, for the API and the console alike: the caller is passed in
/// (the console's Blazor circuit has no HttpContext), the session is the caller's tenant's, and
/// nothing is committed here: the caller commits when the outcome succeeded.
/// </summary>
public static class OperatorActionUseCases
{
    const int MaxText = EscalationRules.MaxContentLength;

    public static Task<Outcome<EscalationView>> ClaimAsync(Caller caller, Guid id, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        AsOperator(session, id, caller, (escalation, person, _) => EscalationRules.Claim(escalation, person, clock.GetUtcNow()), ct);

    public static Task<Outcome<EscalationView>> ReleaseAsync(Caller caller, Guid id, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        AsOperator(session, id, caller, (escalation, person, supervises) => EscalationRules.Release(escalation, person, supervises, clock.GetUtcNow()), ct);

    /// <param name="bus">Enlisted in <paramref name="session"/>'s outbox: the message to the customer commits with its event.</param>
    public static Task<Outcome<EscalationView>> ReplyAsync(
        Caller caller, Guid id, ReplyToCustomer request, IDocumentSession session, IMessageBus bus, ConnectorCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        var template = request.Template;
        var errors = new Problems.Errors()
            .Check("content", template is null ? TextProblem("content", request.Content) : request.Content?.Length > MaxText ? $"The content is at most {MaxText:N0} characters." : null)
            .Check("channel", ChannelProblem(request.Channel))
            .Check("template.content_sid", template is not null && (string.IsNullOrWhiteSpace(template.ContentSid) || template.ContentSid.Length > 64) ? "The template's content SID is required (up to 64 characters)." : null)
            .Check("template.variables", template?.Variables is { Count: > 50 } || template?.Variables?.Any(v => v.Key.Length > 64 || v.Value?.Length > 1_000) == true ? "At most 50 variables, names up to 64 and values up to 1,000 characters." : null);
        if (errors.Any) return Refused(errors.ToFailure());

        var messageTemplate = template is null ? null : new MessageTemplate(template.ContentSid!, template.Variables ?? []);
        var content = request.Content ?? $"Template {template!.ContentSid}";
        return AsOperatorSending(session, bus, catalog, id, caller, request.Channel, messageTemplate, _ => content, clock,
            (escalation, person, route, now) => EscalationRules.Reply(escalation, person, content, route, now), ct);
    }

    public static Task<Outcome<EscalationView>> NoteAsync(Caller caller, Guid id, AddNote request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Text("body", request.Body) ?? AsOperator(session, id, caller, (escalation, person, _) =>
        {
            var now = clock.GetUtcNow();
            return EscalationRules.AddNote(escalation, Guid.CreateVersion7(now), request.Body!, person, now);
        }, ct);

    /// <param name="bus">Enlisted in <paramref name="session"/>'s outbox: the message to the customer commits with its event.</param>
    public static Task<Outcome<EscalationView>> ApproveAsync(
        Caller caller, Guid id, Guid draftId, ApproveDraft request, IDocumentSession session, IMessageBus bus, ConnectorCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("content", request.Content is null ? null : TextProblem("content", request.Content))
            .Check("channel", ChannelProblem(request.Channel));
        if (errors.Any) return Refused(errors.ToFailure());
        return AsOperatorSending(session, bus, catalog, id, caller, request.Channel, null,
            escalation => request.Content ?? escalation.Drafts.FirstOrDefault(d => d.Id == draftId)?.Content ?? "", clock,
            (escalation, person, route, now) => EscalationRules.ApproveDraft(escalation, draftId, request.Content, person, route, now), ct);
    }

    public static Task<Outcome<EscalationView>> RejectAsync(Caller caller, Guid id, Guid draftId, RejectDraft request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reason(request.Reason) ??
        AsOperator(session, id, caller, (escalation, person, _) => EscalationRules.RejectDraft(escalation, draftId, request.Reason, person, clock.GetUtcNow()), ct);

    public static Task<Outcome<EscalationView>> DecideAsync(Caller caller, Guid id, DecideApproval request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Problems.Errors()
            .Check("decision", request.Decision is null || !EscalationRules.OutcomeOfDecision.ContainsKey(request.Decision) ? "The decision is accept, edit, respond or deny." : null)
            .Check("arguments", request.Decision == "edit" && request.Arguments is not { ValueKind: JsonValueKind.Object } ? "An edit carries the edited arguments as a JSON object." : null)
            .Check("response", request.Decision == "respond" && string.IsNullOrWhiteSpace(request.Response) ? "A respond decision carries the response." : request.Response?.Length > MaxText ? $"The response is at most {MaxText:N0} characters." : null)
            .Check("reason", EscalationCommands.ReasonProblem(request.Reason));
        if (errors.Any) return Refused(errors.ToFailure());
        var decision = new ApprovalDecision(request.Decision!, request.Decision == "edit" ? request.Arguments : null, request.Response, request.Reason);
        return AsOperator(session, id, caller, (escalation, person, supervises) => EscalationRules.DecideApproval(escalation, decision, person, supervises, clock.GetUtcNow()), ct);
    }

    public static Task<Outcome<EscalationView>> ResolveAsync(Caller caller, Guid id, ResolveEscalation request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        string[] outcomes = [Outcomes.Resolved, Outcomes.Answered, Outcomes.Approved, Outcomes.Denied];
        var resolution = request.Resolution;
        var errors = new Problems.Errors()
            .Check("outcome", request.Outcome is null || !outcomes.Contains(request.Outcome) ? $"The outcome is one of {string.Join(", ", outcomes)}." : null)
            .Check("resolution", resolution is null ? "The resolution tells the agent what happened: summary, instructions_for_agent, fields." : null)
            .Check("resolution.summary", resolution is not null && string.IsNullOrWhiteSpace(resolution.Summary) ? "The summary is required." : resolution?.Summary?.Length > MaxText ? $"The summary is at most {MaxText:N0} characters." : null)
            .Check("resolution.instructions_for_agent", resolution?.InstructionsForAgent?.Length > MaxText ? $"The instructions are at most {MaxText:N0} characters." : null)
            .Check("resolution.fields", resolution?.Fields is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null } ? "The fields are a JSON object." : null)
            .Check("must_not_claim", request.MustNotClaim is { } claims && (claims.Length > 20 || claims.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 500)) ? "At most 20 statements of up to 500 characters each." : null);
        if (errors.Any) return Refused(errors.ToFailure());
        var outcome = new Resolution(resolution!.Summary, resolution.InstructionsForAgent, resolution.Fields);
        return AsOperator(session, id, caller, (escalation, person, supervises) =>
            EscalationRules.Resolve(escalation, request.Outcome!, outcome, request.MustNotClaim ?? [], person, supervises, clock.GetUtcNow()), ct);
    }

    public static Task<Outcome<EscalationView>> ReopenAsync(Caller caller, Guid id, ReopenEscalation request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Reason(request.Reason) ??
        AsOperator(session, id, caller, (escalation, person, _) => EscalationRules.Reopen(escalation, request.Reason, person, clock.GetUtcNow()), ct);

    static readonly Failure.Forbidden NotAPerson = new("Operator actions are taken by people: use a session, a personal access token or an app's token.");

    static Task<Outcome<EscalationView>> AsOperator(IDocumentSession session, Guid id, Caller caller, Func<Escalation, Participant, bool, Decision> decide, CancellationToken ct)
    {
        if (EscalationParticipants.Person(caller) is not { } person) return Refused(NotAPerson);
        var supervises = Roles.IsAtLeast(caller.Role, Roles.Supervisor);
        return EscalationCommands.RunAsync(session, id, caller, escalation => decide(escalation, person, supervises), ct);
    }

    /// <summary>
    /// An operator action that messages the customer: the route is chosen and checked against the
    /// channel's rules on the state being decided on, and the message leaves through the outbox.
    /// </summary>
    static Task<Outcome<EscalationView>> AsOperatorSending(
        IDocumentSession session, IMessageBus bus, ConnectorCatalog catalog, Guid id, Caller caller, string? channel, MessageTemplate? template,
        Func<Escalation, string> textOf, TimeProvider clock, Func<Escalation, Participant, ReplyRoute, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        if (EscalationParticipants.Person(caller) is not { } person) return Refused(NotAPerson);
        return EscalationCommands.RunAsync(session, id, caller, async escalation =>
        {
            var now = clock.GetUtcNow();
            var (route, refusal) = await ReplyRoutes.ChooseAsync(session, catalog, escalation, channel, template, textOf(escalation), now, ct);
            return refusal is not null ? Decision.Refuse(refusal) : decide(escalation, person, route!, now);
        }, events => OutboundReplies.EnqueueAsync(session, bus, events), ct);
    }

    static Task<Outcome<EscalationView>> Refused(Failure failure) => Task.FromResult<Outcome<EscalationView>>(failure);

    static string? ChannelProblem(string? channel) =>
        channel is not null && !ChannelKinds.All.Contains(channel) ? $"The channel is one of {string.Join(", ", ChannelKinds.All)}." : null;

    static string? TextProblem(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? $"The {field} is required." : text.Length > MaxText ? $"The {field} is at most {MaxText:N0} characters." : null;

    static Task<Outcome<EscalationView>>? Reason(string? reason) =>
        EscalationCommands.ReasonProblem(reason) is { } problem ? Refused(Failure.Invalid.Of("reason", problem)) : null;

    static Task<Outcome<EscalationView>>? Text(string field, string? text) =>
        TextProblem(field, text) is { } problem ? Refused(Failure.Invalid.Of(field, problem)) : null;
}
