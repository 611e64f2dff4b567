using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Assignment;

/// <summary>Moves an escalation to a team (whose assignment then picks someone) or straight to a person. Give one of the two.</summary>
public sealed record TransferEscalation(string? TeamId = null, string? OperatorId = null, string? Note = null);

/// <summary>Accepting or declining an offer, and transfers, as deciders over the escalation.</summary>
public static class AssignmentRules
{
    public static Decision Accept(Escalation escalation, Participant person, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Refusal.Conflict($"The escalation is already {escalation.Status}.");
        if (escalation.Status == EscalationStatuses.WithHuman)
            return new Refusal(409, $"{escalation.Operator!.Name} owns this escalation.", escalation.Operator, escalation.LeaseExpiresAt);
        if (escalation.Offer is not { } offer || offer.Operator.Id != person.Id) return Refusal.Conflict("This escalation is not offered to you; claim it instead.");
        if (offer.ExpiresAt <= now) return Refusal.Conflict("The offer expired; claim it if it is still free.");
        return Decision.Of(new EscalationClaimed(escalation.Id, person, now + EscalationRules.Lease, now));
    }

    public static Decision Decline(Escalation escalation, Participant person, DateTimeOffset now)
    {
        if (escalation.Offer is not { } offer || offer.Operator.Id != person.Id) return Refusal.Conflict("This escalation is not offered to you.");
        return Decision.Of(new EscalationOfferWithdrawn(escalation.Id, offer.Operator, $"declined by {person.Name}", now));
    }

    public static Decision Transfer(Escalation escalation, Team? team, Participant? to, string? note, Participant by, bool supervises, DateTimeOffset now)
    {
        if (escalation.IsFinal) return Refusal.Conflict($"The escalation is already {escalation.Status}.");
        if (escalation.Status == EscalationStatuses.WithHuman && escalation.Operator?.Id != by.Id && !supervises && escalation.LeaseExpiresAt > now)
            return new Refusal(409, $"{escalation.Operator!.Name} owns this escalation; only they or a supervisor can transfer it.", escalation.Operator, escalation.LeaseExpiresAt);
        var target = to is not null ? to.Name : team!.Name;
        var why = $"transferred by {by.Name} to {target}" + (note is null ? "" : $": {note}");
        List<object> events = [new EscalationTransferred(escalation.Id, team?.Id, team?.Name, to, note, by, why, now)];
        if (to is not null) events.Add(new EscalationAssigned(escalation.Id, to, team?.Id ?? escalation.TeamId, now + EscalationRules.Lease, why, now));
        return Decision.Of([.. events]);
    }
}

/// <summary>Offers and transfers over HTTP; the functions are <see cref="AssignmentUseCases"/>'s, which the console calls too.</summary>
public static class AssignmentEndpoints
{
    const string Tag = "Operator actions";

    [WolverinePost("/v1/escalations/{id}/accept", OperationId = "AcceptEscalationOffer")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Accepts the escalation offered to you: you own it, with the usual lease")]
    public static async Task<IResult> Accept(Guid id, IDocumentSession session, IMessageBus bus, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await AssignmentUseCases.AcceptAsync(Caller.Of(context), id, session, bus, clock, ct));

    [WolverinePost("/v1/escalations/{id}/decline", OperationId = "DeclineEscalationOffer")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Declines the escalation offered to you; it is offered to someone else")]
    public static async Task<IResult> Decline(Guid id, IDocumentSession session, IMessageBus bus, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await AssignmentUseCases.DeclineAsync(Caller.Of(context), id, session, bus, clock, ct));

    [WolverinePost("/v1/escalations/{id}/transfer", OperationId = "TransferEscalation")]
    [Authorize(Policy = Policies.OperatorOrAbove)]
    [Tags(Tag)]
    [EndpointSummary("Transfers the escalation to another team (its assignment picks someone) or straight to a person")]
    [EndpointDescription("The owner, a supervisor, or anyone while nobody owns it may transfer. A person receives it at once, whatever their load: a transfer is a human decision.")]
    public static async Task<IResult> Transfer(Guid id, TransferEscalation request, IDocumentSession session, IMessageBus bus, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        Problems.Of(await AssignmentUseCases.TransferAsync(Caller.Of(context), id, request, session, bus, clock, ct));
}

/// <summary>
/// Accepting and declining offers, and transfers, as use cases for the API and the console: the
/// caller is passed in and nothing is committed here (the caller commits when the outcome succeeded).
/// </summary>
public static class AssignmentUseCases
{
    public static async Task<Outcome<EscalationView>> AcceptAsync(Caller caller, Guid id, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        if (EscalationParticipants.Person(caller) is not { } person) return new Failure.Forbidden("Offers are accepted by people.");
        var now = clock.GetUtcNow();
        var outcome = await EscalationCommands.RunAsync(session, id, caller, escalation => AssignmentRules.Accept(escalation, person, now), ct);
        if (outcome is { Value.Owner.LeaseExpiresAt: { } lease })
            await bus.ScheduleAsync(new CheckAssignmentLease(id, person.Id!, lease), lease);
        return outcome;
    }

    public static async Task<Outcome<EscalationView>> DeclineAsync(Caller caller, Guid id, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        if (EscalationParticipants.Person(caller) is not { } person) return new Failure.Forbidden("Offers are declined by people.");
        var outcome = await EscalationCommands.RunAsync(session, id, caller, escalation => AssignmentRules.Decline(escalation, person, clock.GetUtcNow()), ct);
        if (outcome.Succeeded) await bus.PublishAsync(new AssignEscalation(id, $"{person.Name} declined"));
        return outcome;
    }

    public static async Task<Outcome<EscalationView>> TransferAsync(Caller caller, Guid id, TransferEscalation request, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        if (EscalationParticipants.Person(caller) is not { } person) return new Failure.Forbidden("Transfers are made by people.");
        var errors = new Problems.Errors()
            .Check("team_id", request.TeamId is null && request.OperatorId is null ? "Give the team_id or the operator_id to transfer to." : null)
            .Check("team_id", request.TeamId is not null && !Guid.TryParse(request.TeamId, out _) ? "The team id is a UUID." : null)
            .Check("operator_id", request.OperatorId is not null && !Guid.TryParse(request.OperatorId, out _) ? "The operator id is a person's UUID." : null)
            .Check("note", request.Note?.Length > EscalationCommands.MaxReasonLength ? $"The note is at most {EscalationCommands.MaxReasonLength:N0} characters." : null);
        if (errors.Any) return errors.ToFailure();

        Team? team = null;
        if (request.TeamId is not null && (team = await session.LoadAsync<Team>(Guid.Parse(request.TeamId), ct)) is null)
            return Failure.Invalid.Of("team_id", "No team with that id exists here.");
        Participant? to = null;
        if (request.OperatorId is not null)
        {
            var personId = Guid.Parse(request.OperatorId);
            var member = await session.Query<Membership>().FirstOrDefaultAsync(m => m.PersonId == personId, ct);
            if (member is null) return Failure.Invalid.Of("operator_id", "No member of this tenant has that person id.");
            to = new Participant("person", personId.ToString(), member.Email);
        }

        // Under the stream's lock, as every person's command: a background step on the same escalation
        // (the acknowledgement right after an assignment) waits for the transfer instead of failing it.
        var stream = await session.FetchEscalationForExclusiveWritingAsync(id, ct);
        if (stream.Aggregate is not { } escalation) return Failure.NotFound.Of("escalation");
        var now = clock.GetUtcNow();
        var decision = AssignmentRules.Transfer(escalation, team, to, request.Note, person, Roles.IsAtLeast(caller.Role, Roles.Supervisor), now);
        if (decision.Refusal is { } refusal) return EscalationCommands.FailureOf(refusal);

        var work = new RoutingWork(session, bus, escalation);
        work.AddRange(decision.Events);
        if (to is not null) work.Schedule(new CheckAssignmentLease(id, to.Id!, work.State.LeaseExpiresAt!.Value), work.State.LeaseExpiresAt!.Value);
        else await work.AssignAsync([team!], null, now, ct, $"transferred by {person.Name}");
        await work.CommitAsync(stream);
        var view = EscalationView.Of(work.State, caller);
        return view with { Version = escalation.Version + work.Count };
    }
}
