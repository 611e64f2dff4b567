using System.Net;
using System.Text.Json.Nodes;

namespace AwaitHuman.Client;

/// <summary>
/// A call to AwaitHuman failed: the server answered with an error (see <see cref="Problem"/>), or
/// it could not be reached even after the retries (see <see cref="Exception.InnerException"/>).
/// Catch the subclasses to branch: <see cref="AwaitHumanValidationException"/> (400),
/// <see cref="AwaitHumanUnauthorizedException"/> (401), <see cref="AwaitHumanForbiddenException"/> (403),
/// <see cref="AwaitHumanNotFoundException"/> (404), <see cref="AwaitHumanConflictException"/> (409, 422),
/// <see cref="AwaitHumanRateLimitedException"/> (429).
/// </summary>
public class AwaitHumanException : Exception
{
    /// <summary>An error answer from the server.</summary>
    public AwaitHumanException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
        : base(Describe(statusCode, problem))
    {
        StatusCode = statusCode;
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>A failure without an answer from the server (network, time-out).</summary>
    public AwaitHumanException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the server answered with; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The RFC 7807 problem details the server sent, if it sent any.</summary>
    public AwaitHumanProblem? Problem { get; }

    /// <summary>How long the server asked the client to wait before trying again (429, 503), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The messages per field of a 400 answer (snake_case field names, as sent); empty otherwise.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problem?.Errors ?? EmptyErrors;

    static readonly IReadOnlyDictionary<string, string[]> EmptyErrors = new Dictionary<string, string[]>();

    /// <summary>The exception for an error answer: the subclass its status calls for.</summary>
    public static AwaitHumanException FromResponse(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null) => (int)statusCode switch
    {
        400 => new AwaitHumanValidationException(statusCode, problem, retryAfter),
        401 => new AwaitHumanUnauthorizedException(statusCode, problem, retryAfter),
        403 => new AwaitHumanForbiddenException(statusCode, problem, retryAfter),
        404 => new AwaitHumanNotFoundException(statusCode, problem, retryAfter),
        409 or 422 => new AwaitHumanConflictException(statusCode, problem, retryAfter),
        429 => new AwaitHumanRateLimitedException(statusCode, problem, retryAfter),
        _ => new AwaitHumanException(statusCode, problem, retryAfter),
    };

    static string Describe(HttpStatusCode statusCode, AwaitHumanProblem? problem)
    {
        var message = $"AwaitHuman answered {(int)statusCode} {problem?.Title ?? statusCode.ToString()}";
        if (problem?.Detail is { Length: > 0 } detail) message += $": {detail}";
        if (problem?.Errors is { Count: > 0 } errors)
            message += " (" + string.Join("; ", errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}")) + ")";
        return message;
    }
}

/// <summary>400: the request was refused; <see cref="AwaitHumanException.Errors"/> names every wrong field.</summary>
public sealed class AwaitHumanValidationException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
    : AwaitHumanException(statusCode, problem, retryAfter);

/// <summary>401: no credential, or one the server does not accept (revoked, expired, mistyped).</summary>
public sealed class AwaitHumanUnauthorizedException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
    : AwaitHumanException(statusCode, problem, retryAfter);

/// <summary>403: the credential lacks the scope the call needs (e.g. <c>webhooks:manage</c>).</summary>
public sealed class AwaitHumanForbiddenException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
    : AwaitHumanException(statusCode, problem, retryAfter);

/// <summary>404: no such object in your tenant (another tenant's objects answer 404 too).</summary>
public sealed class AwaitHumanNotFoundException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
    : AwaitHumanException(statusCode, problem, retryAfter);

/// <summary>
/// 409: the escalation's state refuses the call (already finished, or a human owns the
/// conversation); 422: an <c>Idempotency-Key</c> reused with another body.
/// </summary>
public sealed class AwaitHumanConflictException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
    : AwaitHumanException(statusCode, problem, retryAfter);

/// <summary>429 after the retries: the budget is spent; <see cref="AwaitHumanException.RetryAfter"/> says when to come back.</summary>
public sealed class AwaitHumanRateLimitedException(HttpStatusCode statusCode, AwaitHumanProblem? problem, TimeSpan? retryAfter = null)
    : AwaitHumanException(statusCode, problem, retryAfter);

/// <summary>RFC 7807 problem details, as AwaitHuman sends them with every error.</summary>
public sealed record AwaitHumanProblem
{
    /// <summary>A URI naming the kind of problem.</summary>
    public string? Type { get; init; }

    /// <summary>A short, human-readable summary of the kind of problem.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong this time.</summary>
    public string? Detail { get; init; }

    /// <summary>A URI naming this occurrence.</summary>
    public string? Instance { get; init; }

    /// <summary>For invalid input: the messages per field.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Members the server added beyond the standard ones (e.g. a trace id).</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public JsonObject? Extensions { get; init; }
}
