using System.Globalization;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace AwaitHuman.Server.Hosting;

/// <summary>
/// Turns what the database refuses at commit into answers a caller can act on: a stream changed by
/// a concurrent command (optimistic concurrency) or a key inserted twice at once is a 409, and an
/// oversized or unreadable request body keeps Kestrel's own status; a database that cannot be reached
/// is a 503 with <c>Retry-After</c>, so clients and balancers retry instead of giving up on a 500.
/// Nothing was stored in any case.
/// </summary>
public sealed class ConflictExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            EventStreamUnexpectedMaxEventIdException or ConcurrencyException =>
                (StatusCodes.Status409Conflict, "Conflict", "Someone else changed this at the same moment; nothing of yours was saved. Read it again and retry."),
            DocumentAlreadyExistsException =>
                (StatusCodes.Status409Conflict, "Conflict", "A request with the same key is being processed; retry it shortly to get its response."),
            BadHttpRequestException bad =>
                (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", bad.Message),
            _ when DatabaseUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The database cannot be reached right now; nothing was changed. Retry shortly."),
            _ => (0, "", ""),
        };
        if (status == 0) return false;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

        context.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// Marten and Wolverine wrap Npgsql's exceptions; somewhere inside is the cause. Npgsql calls a
    /// failure transient when the connection failed, timed out or the server is shutting down or full.
    /// </summary>
    public static bool DatabaseUnavailable(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is NpgsqlException { IsTransient: true } and not PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
                return true;
            if (cause is AggregateException aggregate && aggregate.InnerExceptions.Any(DatabaseUnavailable)) return true;
        }

        return false;
    }
}
