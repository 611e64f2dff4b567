using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Escalations.Waiting;

/// <summary>
/// Long polling for the human outcome. The request returns as soon as the escalation has a
/// hand-back (on any node, woken by <see cref="EscalationSignals"/>), or after the timeout with the
/// current state and no hand-back.
/// </summary>
public static class WaitEndpoints
{
    const int MaxTimeoutSeconds = HandBackWait.MaxTimeoutSeconds;

    [WolverineGet("/v1/escalations/{id}/wait", OperationId = "WaitForHuman")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Escalations")]
    [EndpointSummary("Waits up to timeout_seconds (at most 60) for the human outcome and returns the escalation")]
    [ProducesResponseType<EscalationView>(StatusCodes.Status200OK)]
    public static Task<IResult> WaitById(Guid id, [FromQuery(Name = "timeout_seconds")] int? timeoutSeconds, IQuerySession session, EscalationSignals signals, HttpContext context) =>
        WaitAsync(id, timeoutSeconds, session, signals, context);

    [WolverineGet("/v1/escalations/wait", OperationId = "WaitForHumanByResumeToken")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Escalations")]
    [EndpointSummary("Waits for the human outcome of the escalation a resume token names; for agents that kept only the token across a restart")]
    [ProducesResponseType<EscalationView>(StatusCodes.Status200OK)]
    public static Task<IResult> WaitByResumeToken([FromQuery(Name = "resume_token")] string? resumeToken, [FromQuery(Name = "timeout_seconds")] int? timeoutSeconds, IQuerySession session, EscalationSignals signals, ResumeTokens tokens, HttpContext context)
    {
        if (string.IsNullOrEmpty(resumeToken)) return Task.FromResult(Problems.Invalid("resume_token", "The resume token from the escalation's creation is required."));
        // A token of another tenant reads as unknown, exactly like a forged one.
        return tokens.Read(resumeToken, Caller.Of(context).TenantId) is { } id
            ? WaitAsync(id, timeoutSeconds, session, signals, context)
            : Task.FromResult(Problems.NotFound("escalation for that resume token"));
    }

    static async Task<IResult> WaitAsync(Guid id, int? timeoutSeconds, IQuerySession session, EscalationSignals signals, HttpContext context)
    {
        if (timeoutSeconds is < 0 or > MaxTimeoutSeconds) return Problems.Invalid("timeout_seconds", $"The timeout is 0 to {MaxTimeoutSeconds} seconds.");
        var caller = Caller.Of(context);
        var escalation = await HandBackWait.UntilHandBackAsync(session, signals, caller.TenantId, id, TimeSpan.FromSeconds(timeoutSeconds ?? 30), context.RequestAborted);
        return escalation is null ? Problems.NotFound("escalation") : Results.Ok(EscalationView.Of(escalation, caller));
    }
}

/// <summary>Waiting for the human outcome, for the API's long poll and the MCP tools.</summary>
public static class HandBackWait
{
    public const int MaxTimeoutSeconds = 60;

    /// <summary>
    /// The escalation as soon as it has a hand-back, or as it is when <paramref name="timeout"/> has
    /// passed; null when <paramref name="session"/> (the caller's tenant) does not know it.
    /// </summary>
    public static async Task<Escalation?> UntilHandBackAsync(IQuerySession session, EscalationSignals signals, string tenantId, Guid id, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTimeOffset.UtcNow + timeout;

        using var watch = signals.Watch(tenantId, id);
        var escalation = await session.LoadAsync<Escalation>(id, ct);
        if (escalation is null) return null;

        // A node shutting down answers as if the time were up: the caller waits again, elsewhere.
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, signals.NodeStopping);
        while (escalation.HandBack is null && until - DateTimeOffset.UtcNow is { } left && left > TimeSpan.Zero)
        {
            try
            {
                if (!await watch.ChangedAsync(left, waiting.Token)) break;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
            escalation = await session.LoadAsync<Escalation>(id, ct) ?? escalation;
        }
        return escalation;
    }
}
