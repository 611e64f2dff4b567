using AwaitHuman.Connectors;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Escalations.Inbox;

/// <summary>
/// The inbox row of an escalation, kept inline with its stream: small, so list queries with filters
/// and paging never read transcripts.
/// </summary>
public sealed class EscalationSummary
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public string Status { get; set; } = EscalationStatuses.WaitingForHuman;
    public string Owner { get; set; } = EscalationOwner.Ai;
    public string? OperatorId { get; set; }
    public string? OperatorName { get; set; }
    /// <summary>The team routing gave it to; unrouted escalations wait in the tenant's one queue.</summary>
    public string? TeamId { get; set; }
    public string? TeamName { get; set; }
    /// <summary>The routed team and any an SLA step widened it to; the <c>team</c> filter looks here.</summary>
    public string[] TeamIds { get; set; } = [];
    /// <summary>Whom it is offered to, while an offer is open.</summary>
    public string? OfferedToId { get; set; }
    public DateTimeOffset? QueuedAt { get; set; }
    /// <summary>The next SLA target: first response until a human answered, then resolution; null without a policy or once finished.</summary>
    public DateTimeOffset? SlaDueAt { get; set; }
    public DateTimeOffset? ResolutionDueAt { get; set; }
    public bool FirstResponded { get; set; }
    public string Priority { get; set; } = "normal";
    public string Reason { get; set; } = "";
    public string Channel { get; set; } = ChannelKinds.Agent;
    public string? ExternalRef { get; set; }
    public string? CustomerName { get; set; }
    public string? Summary { get; set; }
    public double? Confidence { get; set; }
    public int Messages { get; set; }
    public string? LastMessage { get; set; }
    /// <summary>Who wrote last (<c>customer</c>, <c>operator</c>, ...): the console's "waiting on customer" view.</summary>
    public string? LastMessageRole { get; set; }
    /// <summary>The agent that escalated, for the console's agent filter.</summary>
    public string? AgentName { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }
    /// <summary>
    /// When the server recorded the last message. <see cref="LastMessageAt"/> is the time the agent gave, on the
    /// agent's clock; unread markers compare with this one, which is on the same clock as the operator's reading.
    /// </summary>
    public DateTimeOffset? LastMessageRecordedAt { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset? DeadlineAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    const int PreviewLength = 160;

    public static EscalationSummary Create(EscalationOpened opened)
    {
        var summary = new EscalationSummary
        {
            Id = opened.EscalationId,
            Kind = opened.Kind,
            Priority = opened.Priority,
            Reason = opened.Reason,
            Channel = opened.Customer.PreferredChannel ?? ChannelKinds.Agent,
            ExternalRef = opened.ExternalRef,
            CustomerName = opened.Customer.Name,
            AgentName = opened.Agent?.Name,
            Summary = Preview(opened.Summary ?? opened.Question),
            Confidence = opened.Confidence,
            DeadlineAt = opened.DeadlineAt,
            CreatedAt = opened.At,
            UpdatedAt = opened.At,
        };
        foreach (var entry in opened.Transcript) summary.Add(entry, opened.At);
        return summary;
    }

    public void Apply(AgentContextAppended e) => Add(e.Entry, e.At);
    public void Apply(CustomerReplied e) => Add(e.Entry, e.At);
    public void Apply(OperatorReplied e)
    {
        Add(e.Entry, e.At);
        if (!FirstResponded && SlaDueAt is not null) SlaDueAt = ResolutionDueAt;
        FirstResponded = true;
    }

    public void Apply(EscalationRouted e)
    {
        if (e.TeamId is null) return;
        var team = e.TeamId.Value.ToString();
        TeamId = team;
        TeamName = e.TeamName;
        TeamIds = [team];
        UpdatedAt = e.At;
    }

    public void Apply(EscalationPriorityChanged e) => Priority = e.To;

    public void Apply(SlaApplied e)
    {
        ResolutionDueAt = e.ResolutionDueAt;
        SlaDueAt = FirstResponded ? e.ResolutionDueAt : e.FirstResponseDueAt;
    }

    public void Apply(EscalationAssigned e)
    {
        Status = EscalationStatuses.WithHuman;
        Owner = EscalationOwner.Human;
        OperatorId = e.Operator.Id;
        OperatorName = e.Operator.Name;
        OfferedToId = null;
        QueuedAt = null;
        UpdatedAt = e.At;
    }

    public void Apply(EscalationOffered e)
    {
        OfferedToId = e.Operator.Id;
        QueuedAt = null;
    }

    public void Apply(EscalationOfferWithdrawn e) => OfferedToId = null;

    public void Apply(EscalationQueued e)
    {
        QueuedAt ??= e.At;
        OfferedToId = null;
    }

    public void Apply(EscalationUnassigned e) => Unowned(EscalationStatuses.WaitingForHuman, null, e.At);

    public void Apply(EscalationTransferred e)
    {
        Unowned(EscalationStatuses.WaitingForHuman, null, e.At);
        QueuedAt = null;
        if (e.ToTeamId is null) return;
        var team = e.ToTeamId.Value.ToString();
        TeamId = team;
        TeamName = e.ToTeamName;
        TeamIds = [team];
    }

    public void Apply(EscalationWidened e)
    {
        if (!TeamIds.Contains(e.TeamId.ToString())) TeamIds = [.. TeamIds, e.TeamId.ToString()];
    }

    public void Apply(EscalationClaimed e)
    {
        OfferedToId = null;
        QueuedAt = null;
        Status = EscalationStatuses.WithHuman;
        Owner = EscalationOwner.Human;
        OperatorId = e.Operator.Id;
        OperatorName = e.Operator.Name;
        UpdatedAt = e.At;
    }

    public void Apply(EscalationReleased e) => Unowned(EscalationStatuses.WaitingForHuman, null, e.At);
    public void Apply(ApprovalDecided e) => Unowned(EscalationStatuses.Resolved, e.HandBack.Outcome, e.At);
    public void Apply(EscalationResolved e) => Unowned(EscalationStatuses.Resolved, e.HandBack.Outcome, e.At);
    public void Apply(EscalationCancelled e) => Unowned(EscalationStatuses.Cancelled, e.HandBack.Outcome, e.At);
    public void Apply(EscalationTimedOut e) => Unowned(EscalationStatuses.TimedOut, e.HandBack.Outcome, e.At);
    public void Apply(EscalationReopened e) => Unowned(EscalationStatuses.WaitingForHuman, null, e.At);

    void Add(TranscriptEntry entry, DateTimeOffset recordedAt)
    {
        LastMessageRecordedAt = recordedAt;
        Messages++;
        LastMessage = Preview(entry.Content);
        LastMessageRole = entry.Role;
        LastMessageAt = entry.At;
        if (entry.At > UpdatedAt) UpdatedAt = entry.At;
    }

    void Unowned(string status, string? outcome, DateTimeOffset at)
    {
        Status = status;
        Owner = EscalationOwner.Ai;
        OperatorId = null;
        OperatorName = null;
        Outcome = outcome;
        OfferedToId = null;
        if (status != EscalationStatuses.WaitingForHuman) { QueuedAt = null; SlaDueAt = null; }
        UpdatedAt = at;
    }

    static string? Preview(string? text) => text is null || text.Length <= PreviewLength ? text : text[..(PreviewLength - 1)] + "…";
}

public static class InboxEndpoint
{
    [WolverineGet("/v1/escalations", OperationId = "ListEscalations")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Escalations")]
    [EndpointSummary("Lists escalations, newest first, with filters; pass next_cursor back as cursor for the next page")]
    [EndpointDescription("owner is `me` (the calling person), `ai` (nobody has it), `human` (someone has it) or a person id. team is a team id (routed or widened to). sort=sla_due lists the escalations with the nearest SLA target first.")]
    [ProducesResponseType<ListPage<EscalationSummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(
        string? status,
        string? owner,
        string? team,
        string? priority,
        string? reason,
        string? channel,
        [FromQuery(Name = "external_ref")] string? externalRef,
        string? sort,
        string? cursor,
        int? limit,
        IQuerySession session,
        HttpContext context,
        CancellationToken ct)
    {
        var statuses = status?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var errors = new Problems.Errors()
            .Check("status", statuses.FirstOrDefault(s => !EscalationStatuses.All.Contains(s)) is { } unknown ? $"Unknown status '{unknown}'; use {string.Join(", ", EscalationStatuses.All)} (comma-separated)." : null)
            .Check("priority", priority is not null && !Priorities.All.Contains(priority) ? $"The priority is one of {string.Join(", ", Priorities.All)}." : null)
            .Check("channel", channel is not null && !ChannelKinds.All.Contains(channel) ? $"The channel is one of {string.Join(", ", ChannelKinds.All)}." : null)
            // One rule for every filter: a value not of the filter's form is a 400; a well-formed one that matches nothing is an empty page.
            .Check("owner", owner == "me" && Caller.Of(context).PersonId is null ? "Only a person can ask for their own escalations."
                : owner is not (null or "me" or EscalationOwner.Ai or EscalationOwner.Human) && !Guid.TryParse(owner, out _) ? "The owner is me, ai, human or a person's id." : null)
            .Check("team", team is not null && !Guid.TryParse(team, out _) ? "The team is a team's id." : null)
            .Check("reason", reason is not null && !EscalationOpening.ReasonCode().IsMatch(reason) ? "A reason code is 1 to 64 lowercase letters, digits, '_', '-', '.' or ':', starting with a letter or digit." : null)
            .Check("external_ref", externalRef?.Length > 200 ? "The external_ref is at most 200 characters." : null)
            .Check("sort", sort is not (null or "newest" or "sla_due") ? "The sort is newest (the default) or sla_due (the most urgent SLA target first, one page)."
                : sort == "sla_due" && cursor is not null ? "sla_due shows one page of the most urgent; it takes no cursor." : null);
        var page = Paging.Read(errors, limit, cursor, Paging.IsGuid);
        if (errors.Any) return errors.ToResult();

        var query = session.Query<EscalationSummary>().AsQueryable();
        if (statuses.Length > 0) query = query.Where(s => statuses.Contains(s.Status));
        if (owner is not null)
        {
            var personId = owner == "me" ? Caller.Of(context).PersonId!.ToString() : owner;
            query = owner switch
            {
                EscalationOwner.Ai or EscalationOwner.Human => query.Where(s => s.Owner == owner),
                _ => query.Where(s => s.OperatorId == personId),
            };
        }
        if (team is not null) query = query.Where(s => s.TeamIds.Contains(team));
        if (priority is not null) query = query.Where(s => s.Priority == priority);
        if (reason is not null) query = query.Where(s => s.Reason == reason);
        if (channel is not null) query = query.Where(s => s.Channel == channel);
        if (externalRef is not null) query = query.Where(s => s.ExternalRef == externalRef);
        // Ids are version 7 Guids: PostgreSQL orders them by creation time.
        if (page.After is { } after) query = query.Where(s => s.MatchesSql("d.id < ?", Guid.Parse(after)));

        if (sort == "sla_due")
        {
            var urgent = await query.Where(s => s.SlaDueAt != null).OrderBy(s => s.SlaDueAt).Take(page.Limit).ToListAsync(ct);
            return Results.Ok(new ListPage<EscalationSummary>(urgent, null));
        }
        var rows = await query.OrderByDescending(s => s.Id).Take(page.Limit + 1).ToListAsync(ct);
        return Results.Ok(Paging.Trim(rows, s => s.Id.ToString(), page));
    }
}
