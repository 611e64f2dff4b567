using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;

namespace AwaitHuman.Server.Hosting;

/// <summary>
/// Turns what the database refuses at commit into answers a caller can act on: a stream changed by
/// a concurrent command (optimistic concurrency) or a key inserted twice at once is a 409, and an
/// oversized or unreadable request body keeps Kestrel's own status. Nothing was stored in either case.
/// </summary>
public sealed class ConflictExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
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
            _ => (0, "", ""),
        };
        if (status == 0) return false;

        context.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
