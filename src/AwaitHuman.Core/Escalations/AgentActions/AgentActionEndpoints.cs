using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Escalations.AgentActions;

/// <param name="Role"><c>customer</c> to relay what the customer wrote; <c>agent</c>, <c>tool</c> or <c>system</c> to add context.</param>
public sealed record AppendMessage(string? Role, string? Content, DateTimeOffset? At);

public sealed record ProposeDraft(string? Content);

public sealed record ProposedDraft(Guid DraftId, Guid EscalationId);

public sealed record CancelEscalation(string? Reason);

/// <summary>What the agent does on an open escalation: add context, relay the customer, suggest replies, withdraw.</summary>
public static class AgentActionEndpoints
{
    [WolverinePost("/v1/escalations/{id}/messages", OperationId = "AppendEscalationMessage")]
    [Authorize(Policy = Policies.EscalationsWrite)]
    [Tags("Escalations")]
    [EndpointSummary("Adds context from the agent or relays a customer message; the agent may not speak to the customer while a human owns the conversation (409)")]
    [ProducesResponseType<EscalationView>(StatusCodes.Status200OK)]
    public static async Task<IResult> AppendMessage(Guid id, AppendMessage request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var errors = EscalationOpening.CheckLine(new Problems.Errors(), "message", request.Role, request.Content);
        if (errors.Any) return errors.ToResult();
        var now = clock.GetUtcNow();
        var agent = EscalationParticipants.Agent(Caller.Of(context));
        return Problems.Of(await EscalationCommands.RunAsync(session, id, Caller.Of(context),
            escalation => EscalationRules.AppendFromAgent(escalation, request.Role!, request.Content!, request.At ?? now, agent, now), ct));
    }

    [WolverinePost("/v1/escalations/{id}/drafts", OperationId = "ProposeDraft")]
    [Authorize(Policy = Policies.EscalationsWrite)]
    [Tags("Escalations")]
    [EndpointSummary("Proposes a reply for an operator to approve, edit or reject")]
    [ProducesResponseType<ProposedDraft>(StatusCodes.Status201Created)]
    public static async Task<IResult> ProposeDraft(Guid id, ProposeDraft request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Content) || request.Content.Length > EscalationRules.MaxContentLength)
            return Problems.Invalid("content", $"The draft's content is 1 to {EscalationRules.MaxContentLength:N0} characters.");
        var now = clock.GetUtcNow();
        var draftId = Guid.CreateVersion7(now);
        var agent = EscalationParticipants.Agent(Caller.Of(context));
        var outcome = await EscalationCommands.RunAsync(session, id, Caller.Of(context), escalation => EscalationRules.ProposeDraft(escalation, draftId, request.Content, agent, now), ct);
        return Problems.Of(outcome, _ => Results.Created($"/v1/escalations/{id}", new ProposedDraft(draftId, id)));
    }

    [WolverinePost("/v1/escalations/{id}/cancel", OperationId = "CancelEscalation")]
    [Authorize(Policy = Policies.EscalationsWrite)]
    [Tags("Escalations")]
    [EndpointSummary("Withdraws the escalation; the hand-back's outcome is cancelled")]
    [ProducesResponseType<EscalationView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Cancel(Guid id, CancelEscalation request, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        if (EscalationCommands.ReasonProblem(request.Reason) is { } problem) return Problems.Invalid("reason", problem);
        var agent = EscalationParticipants.Agent(Caller.Of(context));
        return Problems.Of(await EscalationCommands.RunAsync(session, id, Caller.Of(context), escalation => EscalationRules.Cancel(escalation, request.Reason, agent, clock.GetUtcNow()), ct));
    }
}
