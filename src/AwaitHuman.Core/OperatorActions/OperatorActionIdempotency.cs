using System.Security.Cryptography;
using System.Text.Json;
using AwaitHuman.Core.Escalations.GettingDetails;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Retention;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.OperatorActions;

/// <summary>
/// The first answer to an operator action sent with an <c>Idempotency-Key</c>, kept so a retry
/// whose answer was lost gets that answer again instead of a 409 "already resolved". Stored in the
/// same transaction as the action's events.
/// </summary>
public sealed class OperatorActionResponse
{
    /// <summary>The caller's credential and the key: one person's keys never answer another's requests.</summary>
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public EscalationView Response { get; set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
}

public static class OperatorActionIdempotency
{
    /// <summary>
    /// Runs <paramref name="action"/> once per key: a repeat with the same request gets the first
    /// answer (with <c>Idempotent-Replayed: true</c>), with another request a 422. Failures are not
    /// kept, so a refused request may be corrected and sent again with its key. Two requests racing
    /// with one key both act on the same escalation version; the second's commit fails with a 409.
    /// </summary>
    public static async Task<IResult> RunAsync<TRequest>(
        HttpContext context, IDocumentSession session, string name, Guid id, TRequest request,
        Func<Task<Outcome<EscalationView>>> action, TimeProvider clock, CancellationToken ct)
    {
        var key = context.Request.Headers[OpenEscalationEndpoint.IdempotencyHeader].ToString();
        if (key.Length == 0) return Problems.Of(await action());
        if (EscalationOpening.IdempotencyKeyProblem(key) is { } keyProblem) return Problems.Invalid(OpenEscalationEndpoint.IdempotencyHeader, keyProblem);

        var caller = Caller.Of(context);
        var recordId = $"{caller.CredentialType}:{caller.CredentialId}:{key}";
        var requestHash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { name, id, request })));
        if (await session.LoadAsync<OperatorActionResponse>(recordId, ct) is { } earlier)
        {
            if (earlier.RequestHash != requestHash)
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                    detail: $"The {OpenEscalationEndpoint.IdempotencyHeader} was already used with a different action or request body.");
            context.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Ok(earlier.Response);
        }

        var outcome = await action();
        if (outcome.Succeeded)
            session.Insert(new OperatorActionResponse { Id = recordId, RequestHash = requestHash, Response = outcome.Value, CreatedAt = clock.GetUtcNow() });
        return Problems.Of(outcome);
    }
}

/// <summary>Forgets operator action keys after as long as the create's keys are kept.</summary>
public sealed class OperatorActionKeyRetention(IDocumentStore store, TimeProvider clock, ILogger<OperatorActionKeyRetention> logger)
    : HourlyPurge<OperatorActionResponse>(store, clock, logger, "created_at")
{
    protected override TimeSpan KeptFor => IdempotencyKeyRetention.Kept;
}
