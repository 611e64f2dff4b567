using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Escalations.Waiting;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace AwaitHuman.Core.Escalations.Mcp;

/// <summary>
/// The escalation API as MCP tools. Each call runs in the tenant of the credential that made it
/// (the endpoint requires one); opening goes through the same rules, idempotency and outbox as
/// <c>POST /v1/escalations</c>, waiting through the same long poll as <c>/wait</c>.
/// </summary>
[McpServerToolType]
public sealed class EscalationTools(
    IDocumentStore store,
    OutboxedSessionFactory outbox,
    IMessageBus bus,
    IOpeningRouter routing,
    ResumeTokens resumeTokens,
    EscalationSignals signals,
    TimeProvider clock)
{
    public const int MaxWaitSeconds = HandBackWait.MaxTimeoutSeconds;

    [McpServerTool(Name = "escalate_to_human", Title = "Hand the conversation to a human", Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EscalationProgress))]
    [Description("""
        Hands the conversation with a customer to a human operator when you should not continue alone: you are unsure,
        the customer is upset or asks for a person, money or policy exceptions are at stake. A human reads the transcript,
        talks to the customer and hands the conversation back with a resolution. Returns the escalation id and a resume_token;
        then call wait_for_human to learn the outcome.
        """)]
    public async Task<CallToolResult> EscalateToHuman(
        ClaimsPrincipal user,
        [Description("Why a human is needed, as a short code: lowercase letters, digits, '_', '-', '.' or ':', e.g. refund_dispute, angry_customer, low_confidence.")]
        string reason,
        [Description("What the human needs to know in a few sentences: the customer's problem, what you tried, what is at stake (at most 4,000 characters).")]
        string? summary = null,
        [Description("How confident you are (0 to 1) that you could have handled it alone.")]
        double? confidence = null,
        [Description("low, normal (the default), high or urgent.")]
        string? priority = null,
        [Description("Your own id for this conversation or ticket, to find the escalation again.")]
        string? external_ref = null,
        [Description("Who the customer is and how to reach them.")]
        CustomerInput? customer = null,
        [Description("The conversation so far, oldest first, at most 500 lines.")]
        TranscriptInput[]? transcript = null,
        [Description("If no human finishes within this many seconds (10 to 2,592,000), you get the conversation back with outcome timed_out.")]
        int? deadline_seconds = null,
        [Description("Send the same key when you retry a call whose answer you did not get: the first escalation is returned instead of a second one.")]
        string? idempotency_key = null,
        CancellationToken ct = default)
    {
        var request = new OpenEscalation(EscalationKinds.Handoff, reason, summary, confidence, priority, external_ref, customer, transcript,
            null, null, null, null, deadline_seconds);
        return await OpenAsync(user, request, idempotency_key, waitSeconds: null, renamed: null, ct);
    }

    [McpServerTool(Name = "ask_human", Title = "Ask a human a question", Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EscalationProgress))]
    [Description("""
        Asks a human operator a question you cannot or may not answer yourself (a policy exception, a judgement call, missing facts)
        while you keep the conversation. With wait_seconds the call waits up to that long and returns the answer in hand_back;
        otherwise, or if nobody answers in time, call wait_for_human with the returned id.
        """)]
    public async Task<CallToolResult> AskHuman(
        ClaimsPrincipal user,
        [Description("The question, as the human should read it.")]
        string question,
        [Description("Why you ask, as a short code: lowercase letters, digits, '_', '-', '.' or ':', e.g. policy_exception.")]
        string reason,
        [Description("What the human needs to know to answer: the situation, what you already know, what is at stake (at most 4,000 characters).")]
        string? context = null,
        [Description("low, normal (the default), high or urgent.")]
        string? priority = null,
        [Description("Your own id for this conversation or ticket.")]
        string? external_ref = null,
        [Description("If no human answers within this many seconds (10 to 2,592,000), the question times out.")]
        int? deadline_seconds = null,
        [Description("Wait up to this many seconds (0 to 60, default 0) for the answer before returning.")]
        int? wait_seconds = null,
        [Description("Send the same key when you retry a call whose answer you did not get: the first escalation is returned instead of a second one.")]
        string? idempotency_key = null,
        CancellationToken ct = default)
    {
        var request = new OpenEscalation(EscalationKinds.Question, reason, context, null, priority, external_ref, null, null,
            null, question, null, null, deadline_seconds);
        return await OpenAsync(user, request, idempotency_key, wait_seconds, new Dictionary<string, string> { ["summary"] = "context" }, ct);
    }

    [McpServerTool(Name = "request_approval", Title = "Ask a human to approve an action", Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EscalationProgress))]
    [Description("""
        Asks a human to approve a tool call or action before you run it (a refund, a cancellation, anything costly or irreversible).
        The human accepts, edits the arguments, answers instead, or denies; hand_back.outcome is approved, edited, answered or denied,
        and hand_back.decision.arguments holds edited arguments. Do not run the action until you have the outcome. With wait_seconds
        the call waits up to that long for it; otherwise call wait_for_human with the returned id.
        """)]
    public async Task<CallToolResult> RequestApproval(
        ClaimsPrincipal user,
        [Description("The name of the tool or action to approve, e.g. issue_refund.")]
        string action,
        [Description("Why it needs approval, as a short code: lowercase letters, digits, '_', '-', '.' or ':', e.g. refund_over_limit.")]
        string reason,
        [Description("The arguments you would call it with, as a JSON object.")]
        JsonElement? arguments = null,
        [Description("What the action does and why you propose it, for the human (at most 4,000 characters).")]
        string? summary = null,
        [Description("low, normal (the default), high or urgent.")]
        string? priority = null,
        [Description("Your own id for this conversation or ticket.")]
        string? external_ref = null,
        [Description("If nobody decides within this many seconds (10 to 2,592,000), the request times out; that is never an approval.")]
        int? deadline_seconds = null,
        [Description("Wait up to this many seconds (0 to 60, default 0) for the decision before returning.")]
        int? wait_seconds = null,
        [Description("Send the same key when you retry a call whose answer you did not get: the first escalation is returned instead of a second one.")]
        string? idempotency_key = null,
        CancellationToken ct = default)
    {
        var request = new OpenEscalation(EscalationKinds.Approval, reason, summary, null, priority, external_ref, null, null,
            null, null, new ActionInput(action, ObjectOf(arguments)), null, deadline_seconds);
        return await OpenAsync(user, request, idempotency_key, wait_seconds,
            new Dictionary<string, string> { ["action.name"] = "action", ["action.arguments"] = "arguments" }, ct);
    }

    [Authorize(Policy = Policies.EscalationsRead)]
    [McpServerTool(Name = "get_escalation", Title = "Show an escalation", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EscalationView))]
    [Description("Shows one escalation: its status, who owns the conversation (owner), the transcript, drafts and, once a human finished, the hand_back.")]
    public async Task<CallToolResult> GetEscalation(
        ClaimsPrincipal user,
        [Description("The escalation's id.")]
        string id,
        CancellationToken ct = default)
    {
        var caller = CallerOf(user);
        if (!Guid.TryParse(id, out var escalationId)) return ToolAnswers.Invalid("id", "The id is the escalation's id from when it was opened.");
        await using var session = store.QuerySession(caller.TenantId);
        var escalation = await session.LoadAsync<Escalation>(escalationId, ct);
        return escalation is null ? ToolAnswers.NotFound() : ToolAnswers.Success(EscalationView.Of(escalation, caller));
    }

    [Authorize(Policy = Policies.EscalationsRead)]
    [McpServerTool(Name = "wait_for_human", Title = "Wait for the human outcome", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EscalationProgress))]
    [Description("""
        Waits up to timeout_seconds (at most 60) for a human to finish an escalation and returns the hand_back as soon as there is one.
        If the time passes first, hand_back is empty and status says where it stands: call again to keep waiting.
        Give the id, or the resume_token you kept from opening it.
        """)]
    public async Task<CallToolResult> WaitForHuman(
        ClaimsPrincipal user,
        [Description("The escalation's id.")]
        string? id = null,
        [Description("The resume_token from opening, instead of the id.")]
        string? resume_token = null,
        [Description("How long to wait, 0 to 60 seconds (default 30).")]
        int? timeout_seconds = null,
        CancellationToken ct = default)
    {
        var caller = CallerOf(user);
        var errors = new Problems.Errors()
            .Check("id", id is null && resume_token is null ? "Give the escalation's id or its resume_token." : null)
            .Check("timeout_seconds", timeout_seconds is < 0 or > MaxWaitSeconds ? $"The timeout is 0 to {MaxWaitSeconds} seconds." : null);
        if (errors.Any) return ToolAnswers.Invalid(errors);

        Guid escalationId;
        if (id is not null)
        {
            if (!Guid.TryParse(id, out escalationId)) return ToolAnswers.Invalid("id", "The id is the escalation's id from when it was opened.");
        }
        // A token of another tenant reads as unknown, exactly like a forged one.
        else if (resumeTokens.Read(resume_token, caller.TenantId) is { } fromToken) escalationId = fromToken;
        else return ToolAnswers.NotFound("for that resume_token");

        await using var session = store.QuerySession(caller.TenantId);
        var escalation = await HandBackWait.UntilHandBackAsync(session, signals, caller.TenantId, escalationId, TimeSpan.FromSeconds(timeout_seconds ?? 30), ct);
        return escalation is null ? ToolAnswers.NotFound() : ToolAnswers.Success(EscalationProgress.Of(escalation));
    }

    /// <summary>Opens in the caller's tenant through Wolverine's outbox, so a deadline's timeout commits with the escalation.</summary>
    async Task<CallToolResult> OpenAsync(ClaimsPrincipal user, OpenEscalation request, string? idempotencyKey, int? waitSeconds,
        IReadOnlyDictionary<string, string>? renamed, CancellationToken ct)
    {
        var caller = CallerOf(user);
        var early = new Problems.Errors()
            .Check("idempotency_key", idempotencyKey is null ? null : EscalationOpening.IdempotencyKeyProblem(idempotencyKey))
            .Check("wait_seconds", waitSeconds is < 0 or > MaxWaitSeconds ? $"The wait is 0 to {MaxWaitSeconds} seconds." : null);
        if (early.Any) return ToolAnswers.Invalid(early);

        bus.TenantId = caller.TenantId;
        OpenAttempt attempt;
        await using (var session = outbox.OpenSession(bus))
        {
            attempt = await EscalationOpening.TryOpenAsync(request, idempotencyKey, session, bus, routing, caller, resumeTokens, clock.GetUtcNow(), ct);
            if (attempt.Errors is { } errors) return ToolAnswers.Invalid(errors, renamed);
            attempt = await EscalationOpening.CommitAsync(attempt, idempotencyKey, session, bus, ct);
            if (attempt.KeyReused) return ToolAnswers.Error("The idempotency_key was already used for a different request; use a new key for a new escalation.");
            if (attempt == OpenAttempt.InProgress) return ToolAnswers.Error("A call with the same idempotency_key is being processed; retry shortly to get its answer.");
        }

        var opened = attempt.Opened!;
        await using var query = store.QuerySession(caller.TenantId);
        var escalation = waitSeconds is > 0
            ? await HandBackWait.UntilHandBackAsync(query, signals, caller.TenantId, opened.Id, TimeSpan.FromSeconds(waitSeconds.Value), ct)
            : await query.LoadAsync<Escalation>(opened.Id, ct);
        return escalation is null
            ? ToolAnswers.NotFound()
            : ToolAnswers.Success(EscalationProgress.Of(escalation, opened.ResumeToken));
    }

    /// <summary>Models sometimes send an object as a JSON string; such a string is read as the object it holds.</summary>
    static JsonElement? ObjectOf(JsonElement? arguments)
    {
        if (arguments is not { ValueKind: JsonValueKind.String } text) return arguments;
        try
        {
            using var document = JsonDocument.Parse(text.GetString()!);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : arguments;
        }
        catch (JsonException)
        {
            return arguments;
        }
    }

    static Caller CallerOf(ClaimsPrincipal user) =>
        Caller.From(user) ?? throw new InvalidOperationException("The MCP endpoint must require an authenticated tenant caller.");
}
