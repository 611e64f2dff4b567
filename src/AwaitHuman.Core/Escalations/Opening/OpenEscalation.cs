using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Escalations.Deadlines;
using AwaitHuman.Core.Escalations.Waiting;
using AwaitHuman.Core.Security;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace AwaitHuman.Core.Escalations.Opening;

// The descriptions and defaults show in the schemas the OpenAPI document and the MCP tools publish:
// what each field means and which ones may be left out.
public sealed record CustomerInput(
    [Description("The customer's name.")] string? Name = null,
    [Description("Email address.")] string? Email = null,
    [Description("Phone number in E.164 form, e.g. +14155550123.")] string? Phone = null,
    [Description("WhatsApp number in E.164 form.")] string? Whatsapp = null,
    [Description("How a human should reply: whatsapp, sms, email, webchat, or agent (through you, the default).")] string? PreferredChannel = null,
    [Description("Language tag such as en-GB.")] string? Locale = null);

public sealed record TranscriptInput(
    [Description("Who said it: customer, agent (you), tool or system.")] string? Role,
    [Description("What was said.")] string? Content,
    [Description("When it was said; now if left out.")] DateTimeOffset? At = null);

public sealed record ToolCallInput(string? Tool, JsonElement? Input, JsonElement? Output, string? Error);

public sealed record AgentInput(string? Name, string? Version, ToolCallInput[]? Trace);

public sealed record ActionInput(string? Name, JsonElement? Arguments);

/// <summary>The one call an agent makes when it needs a human.</summary>
/// <param name="Kind">Required, but nullable so that leaving it out is a validation error naming it, not a binding failure.</param>
public sealed record OpenEscalation(
    [Required] string? Kind,
    [Required] string? Reason,
    string? Summary,
    double? Confidence,
    string? Priority,
    string? ExternalRef,
    CustomerInput? Customer,
    TranscriptInput[]? Transcript,
    AgentInput? Agent,
    string? Question,
    ActionInput? Action,
    JsonElement? Metadata,
    int? DeadlineSeconds);

public sealed record OpenedEscalation(Guid Id, string Kind, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DeadlineAt, string ResumeToken);

/// <summary>
/// The first response to an <c>Idempotency-Key</c>, kept so a retried request gets it again instead
/// of a second escalation. Stored in the same transaction as the escalation it made.
/// </summary>
public sealed class IdempotentResponse
{
    /// <summary>The key as the caller sent it; unique within the tenant.</summary>
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public Guid EscalationId { get; set; }
    public OpenedEscalation Response { get; set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What came of opening: the escalation (new, or the first one again for a repeated key), or why not.</summary>
/// <param name="KeyReused">The idempotency key was used before with another request.</param>
/// <param name="RequestHash">The request's fingerprint when it came with an idempotency key.</param>
public sealed record OpenAttempt(OpenedEscalation? Opened, bool Replayed, Problems.Errors? Errors, bool KeyReused, string? RequestHash = null)
{
    public static OpenAttempt New(OpenedEscalation opened, string? requestHash) => new(opened, false, null, false, requestHash);
    public static OpenAttempt Replay(OpenedEscalation opened) => new(opened, true, null, false);
    public static OpenAttempt Invalid(Problems.Errors errors) => new(null, false, errors, false);
    public static OpenAttempt Reused { get; } = new(null, false, null, true);
    /// <summary>The key's record stopped the insert but was gone when read (purged in between): the caller retries.</summary>
    public static OpenAttempt InProgress { get; } = new(null, false, null, false);
}

/// <summary>The agent's POST; the opening itself is <see cref="EscalationOpening"/>'s, which the MCP tools use too.</summary>
public static class OpenEscalationEndpoint
{
    public const string IdempotencyHeader = "Idempotency-Key";

    [WolverinePost("/v1/escalations", OperationId = "OpenEscalation")]
    [Authorize(Policy = Policies.EscalationsWrite)]
    [Tags("Escalations")]
    [EndpointSummary("Hands a conversation, an approval or a question to a human")]
    [AcceptsIdempotencyKey]
    [EndpointDescription("Send an `Idempotency-Key` header to make retries safe: the same key with the same body returns the first response again, with another body it is refused with 422. Keys are kept for at least 24 hours.")]
    [ProducesResponseType<OpenedEscalation>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(OpenEscalation request, IDocumentSession session, IMessageBus bus, HttpContext context, ResumeTokens resumeTokens, IOpeningRouter routing, TimeProvider clock, CancellationToken ct)
    {
        var key = context.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length > 0 && EscalationOpening.IdempotencyKeyProblem(key) is { } keyProblem) return Problems.Invalid(IdempotencyHeader, keyProblem);

        var attempt = await EscalationOpening.TryOpenAsync(request, key.Length > 0 ? key : null, session, bus, routing, Caller.Of(context), resumeTokens, clock.GetUtcNow(), ct);
        if (attempt.Errors is { } errors) return errors.ToResult();
        attempt = await EscalationOpening.CommitAsync(attempt, key.Length > 0 ? key : null, session, bus, ct);
        if (attempt == OpenAttempt.InProgress)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: "A request with the same key is being processed; retry it shortly to get its response.");
        if (attempt.KeyReused)
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                detail: $"The {IdempotencyHeader} was already used with a different request body.");
        if (attempt.Replayed) context.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Created($"/v1/escalations/{attempt.Opened!.Id}", attempt.Opened);
    }
}

/// <summary>Opening an escalation as a use case: its rules, and the opening for the API and the MCP tools.</summary>
public static partial class EscalationOpening
{
    public static string? IdempotencyKeyProblem(string key) =>
        key.Length is 0 or > 255 || key.Any(char.IsControl) ? "The key is 1 to 255 printable characters." : null;

    /// <summary>
    /// Opens an escalation for <paramref name="caller"/> on <paramref name="session"/> (the caller's
    /// tenant) without committing: the stream with its routing, the deadline's timeout through
    /// <paramref name="bus"/>'s outbox and the idempotent response all commit together in <see cref="CommitAsync"/>.
    /// </summary>
    public static async Task<OpenAttempt> TryOpenAsync(OpenEscalation request, string? idempotencyKey, IDocumentSession session, IMessageBus bus, IOpeningRouter routing, Caller caller, ResumeTokens resumeTokens, DateTimeOffset now, CancellationToken ct)
    {
        var requestHash = idempotencyKey is null ? null : Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
        var errors = Validate(request);
        if (errors.Any) return OpenAttempt.Invalid(errors);

        var opened = Open(request, caller, now);
        var escalation = await routing.StartRoutedAsync(opened, session, bus, ct);
        if (opened.DeadlineAt is { } deadline)
            await bus.ScheduleAsync(new TimeOutEscalation(opened.EscalationId), deadline);

        var response = new OpenedEscalation(opened.EscalationId, opened.Kind, escalation.Status, now, opened.DeadlineAt,
            resumeTokens.For(caller.TenantId, opened.EscalationId));
        if (requestHash is not null)
            session.Insert(new IdempotentResponse { Id = idempotencyKey!, RequestHash = requestHash, EscalationId = opened.EscalationId, Response = response, CreatedAt = now });
        return OpenAttempt.New(response, requestHash);
    }

    /// <summary>
    /// Commits what <see cref="TryOpenAsync"/> prepared. The key's record is inserted with the
    /// escalation rather than looked up first, which saves a round trip on every new key: when the
    /// key was used before, the insert fails, nothing of this request is kept (its messages included),
    /// and the first response comes back instead, or a refusal when the body differs.
    /// </summary>
    public static async Task<OpenAttempt> CommitAsync(OpenAttempt attempt, string? idempotencyKey, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
            return attempt;
        }
        catch (DocumentAlreadyExistsException) when (idempotencyKey is not null)
        {
            session.EjectAllPendingChanges();
            // The routing message and deadline this request queued must not go out either; discarding
            // them is on Wolverine's MessageContext only, not on the IMessageBus it is handed as.
            if (bus is Wolverine.Runtime.MessageContext context) await context.ClearAllAsync();
        }

        await using var query = session.DocumentStore.QuerySession(session.TenantId);
        var earlier = await query.LoadAsync<IdempotentResponse>(idempotencyKey, ct);
        if (earlier is null) return OpenAttempt.InProgress;
        return earlier.RequestHash == attempt.RequestHash ? OpenAttempt.Replay(earlier.Response) : OpenAttempt.Reused;
    }

    internal static EscalationOpened Open(OpenEscalation request, Caller caller, DateTimeOffset now)
    {
        var customer = request.Customer;
        return new EscalationOpened(
            Guid.CreateVersion7(now),
            request.Kind!,
            request.Reason!,
            request.Summary,
            request.Confidence,
            request.Priority ?? "normal",
            request.ExternalRef,
            new Customer(customer?.Name, customer?.Email, customer?.Phone, customer?.Whatsapp, customer?.PreferredChannel, customer?.Locale),
            (request.Transcript ?? []).Select(line => new TranscriptEntry(Guid.CreateVersion7(now), line.Role!, line.Content!, line.At ?? now, null, ChannelKinds.Agent)).ToArray(),
            request.Agent is { } agent ? new AgentInfo(agent.Name, agent.Version, agent.Trace?.Select(call => new ToolCall(call.Tool!, call.Input, call.Output, call.Error)).ToArray()) : null,
            request.Question,
            request.Action is { } action ? new ProposedAction(action.Name!, action.Arguments) : null,
            request.Metadata,
            request.DeadlineSeconds is { } seconds ? now.AddSeconds(seconds) : null,
            EscalationParticipants.Agent(caller),
            now);
    }

    public static Problems.Errors Validate(OpenEscalation request)
    {
        var errors = new Problems.Errors()
            .Check("kind", request.Kind is null ? $"The kind is required: {string.Join(", ", EscalationKinds.All)}."
                : !EscalationKinds.All.Contains(request.Kind) ? $"Unknown kind '{request.Kind}'; it is one of {string.Join(", ", EscalationKinds.All)}." : null)
            .Check("reason", string.IsNullOrWhiteSpace(request.Reason) ? "The reason code is required, e.g. refund_dispute."
                : !ReasonCode().IsMatch(request.Reason) ? "A reason code is 1 to 64 lowercase letters, digits, '_', '-', '.' or ':', starting with a letter or digit." : null)
            .Check("summary", request.Summary?.Length > 4_000 ? "The summary is at most 4,000 characters." : null)
            // NaN and the infinities arrive as the strings "NaN" and "Infinity", which the web defaults read as numbers.
            .Check("confidence", request.Confidence is { } confidence && !(confidence is >= 0 and <= 1) ? "The confidence is between 0 and 1." : null)
            .Check("priority", request.Priority is not null && !Priorities.All.Contains(request.Priority) ? $"The priority is one of {string.Join(", ", Priorities.All)}." : null)
            .Check("external_ref", request.ExternalRef?.Length > 200 ? "The external_ref is at most 200 characters." : null)
            .Check("question", request.Kind == EscalationKinds.Question && string.IsNullOrWhiteSpace(request.Question) ? "A question escalation needs the question."
                : request.Question?.Length > EscalationRules.MaxContentLength ? $"The question is at most {EscalationRules.MaxContentLength:N0} characters." : null)
            .Check("action", request.Kind == EscalationKinds.Approval && request.Action is null ? "An approval escalation needs the action to approve." : null)
            .Check("action.name", request.Action is { } action && string.IsNullOrWhiteSpace(action.Name) ? "The action's name is required." : null)
            .Check("action.arguments", request.Action?.Arguments is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null } ? "The arguments are a JSON object." : null)
            .Check("metadata", request.Metadata is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null } ? "The metadata is a JSON object." : null)
            .Check("deadline_seconds", request.DeadlineSeconds is < 10 or > EscalationRules.MaxDeadlineSeconds ? $"The deadline is between 10 and {EscalationRules.MaxDeadlineSeconds:N0} seconds." : null);

        if (request.Customer is { } customer)
        {
            errors
                .Check("customer.name", customer.Name?.Length > 200 ? "The name is at most 200 characters." : null)
                .Check("customer.email", customer.Email is not null && !EmailAddress().IsMatch(customer.Email) ? "The email is not an address." : null)
                .Check("customer.phone", customer.Phone is not null && !PhoneNumber().IsMatch(customer.Phone) ? "The phone number is in E.164 form, e.g. +14155550123." : null)
                .Check("customer.whatsapp", customer.Whatsapp is not null && !PhoneNumber().IsMatch(customer.Whatsapp) ? "The WhatsApp number is in E.164 form, e.g. +14155550123." : null)
                .Check("customer.preferred_channel", customer.PreferredChannel is not null && !ChannelKinds.All.Contains(customer.PreferredChannel) ? $"The channel is one of {string.Join(", ", ChannelKinds.All)}." : null)
                .Check("customer.locale", customer.Locale?.Length > 35 ? "The locale is a language tag such as en-GB." : null);
        }

        var transcript = request.Transcript ?? [];
        errors.Check("transcript", transcript.Length > EscalationRules.MaxTranscriptEntries ? $"The transcript is at most {EscalationRules.MaxTranscriptEntries} entries; summarise older ones." : null);
        for (var i = 0; i < Math.Min(transcript.Length, EscalationRules.MaxTranscriptEntries); i++)
            CheckLine(errors, $"transcript[{i}]", transcript[i]?.Role, transcript[i]?.Content);

        var trace = request.Agent?.Trace ?? [];
        errors.Check("agent.trace", trace.Length > EscalationRules.MaxTraceEntries ? $"The trace is at most {EscalationRules.MaxTraceEntries} tool calls." : null);
        for (var i = 0; i < Math.Min(trace.Length, EscalationRules.MaxTraceEntries); i++)
            errors.Check($"agent.trace[{i}].tool", string.IsNullOrWhiteSpace(trace[i]?.Tool) ? "The tool's name is required." : null);
        return errors;
    }

    /// <summary>The rule for one line of conversation an agent sends, at opening or later.</summary>
    public static Problems.Errors CheckLine(Problems.Errors errors, string path, string? role, string? content) => errors
        .Check($"{path}.role", role is null || !TranscriptRoles.FromAgent.Contains(role) ? $"The role is one of {string.Join(", ", TranscriptRoles.FromAgent)}." : null)
        .Check($"{path}.content", string.IsNullOrEmpty(content) ? "The content is required."
            : content.Length > EscalationRules.MaxContentLength ? $"The content is at most {EscalationRules.MaxContentLength:N0} characters." : null);

    [GeneratedRegex("^[a-z0-9][a-z0-9_.:-]{0,63}$")]
    internal static partial Regex ReasonCode();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex PhoneNumber();
}
