using System.Text.Json;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Escalations.GettingDetails;

/// <param name="Type"><c>ai</c> or <c>human</c>.</param>
public sealed record OwnerView(string Type, string? PersonId, string? Name, DateTimeOffset? LeaseExpiresAt);

/// <summary>One escalation as the API shows it. Operators' internal notes are shown to people only.</summary>
/// <param name="Deliveries">Where each operator message to the customer stands, by the transcript entry's id.</param>
public sealed record EscalationView(
    Guid Id,
    string Kind,
    string Status,
    OwnerView Owner,
    string Reason,
    string? Summary,
    double? Confidence,
    string Priority,
    string? ExternalRef,
    Customer Customer,
    string Channel,
    AgentInfo? Agent,
    string? Question,
    ProposedAction? Action,
    JsonElement? Metadata,
    DateTimeOffset? DeadlineAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    IReadOnlyList<TranscriptEntry> Transcript,
    IReadOnlyList<Note>? Notes,
    IReadOnlyList<Draft> Drafts,
    IReadOnlyList<MessageDelivery> Deliveries,
    HandBack? HandBack,
    RoutingView? Routing = null)
{
    public static EscalationView Of(Escalation e, Caller caller) => new(
        e.Id, e.Kind, e.Status,
        e.Status == EscalationStatuses.WithHuman
            ? new OwnerView(EscalationOwner.Human, e.Operator?.Id, e.Operator?.Name, e.LeaseExpiresAt)
            : new OwnerView(EscalationOwner.Ai, null, null, null),
        e.Reason, e.Summary, e.Confidence, e.Priority, e.ExternalRef, e.Customer, e.Channel, e.Agent, e.Question, e.Action, e.Metadata,
        e.DeadlineAt, e.CreatedAt, e.UpdatedAt, e.Version, e.Transcript,
        caller.PersonId is null ? null : e.Notes,
        e.Drafts, e.Deliveries, e.HandBack,
        caller.PersonId is null ? null : RoutingView.Of(e));
}

/// <summary>Where routing put the escalation, who it is offered to, its place in the queue, its SLA, and every decision with its reason; shown to people.</summary>
public sealed record RoutingView(
    Guid? TeamId,
    string? TeamName,
    IReadOnlyList<Guid> TeamIds,
    OfferState? Offer,
    DateTimeOffset? QueuedAt,
    QueuePosition? Queue,
    SlaState? Sla,
    DateTimeOffset? FirstResponseAt,
    IReadOnlyList<RoutingNote> Decisions)
{
    public static RoutingView Of(Escalation e) => new(e.TeamId, e.TeamName, e.TeamIds, e.Offer, e.QueuedAt, null, e.Sla, e.FirstResponseAt, e.Routing);
}

public static class EscalationDetailsEndpoint
{
    [WolverineGet("/v1/escalations/{id}", OperationId = "GetEscalation")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Escalations")]
    [EndpointSummary("Shows one escalation: its state, owner, transcript, drafts and, once finished, the hand-back")]
    [ProducesResponseType<EscalationView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var escalation = await session.LoadAsync<Escalation>(id, ct);
        if (escalation is null) return Problems.NotFound("escalation");
        var view = EscalationView.Of(escalation, Caller.Of(context));
        if (view.Routing is { QueuedAt: not null } routing)
            view = view with { Routing = routing with { Queue = await QueueEstimate.OfAsync(session, escalation, clock.GetUtcNow(), ct) } };
        return Results.Ok(view);
    }
}
