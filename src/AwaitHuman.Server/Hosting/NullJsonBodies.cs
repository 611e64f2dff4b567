using System.Text;

namespace AwaitHuman.Server.Hosting;

/// <summary>
/// A JSON body of <c>null</c> binds a null command, which no endpoint (Wolverine's or a minimal API)
/// expects; refused here, once, with the 400 a missing body deserves instead of a 500.
/// </summary>
public static class NullJsonBodies
{
    /// <summary>Long enough for <c>null</c> among any whitespace a client is likely to send around it.</summary>
    const int Peek = 64;

    public static IApplicationBuilder RefuseNullJsonBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var writes = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);
        // Bodies that declare more than the peek are never null; only short or chunked ones are read ahead.
        if (writes && request.HasJsonContentType() && request.ContentLength is null or <= Peek && await IsNullAsync(request, context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Bad request",
                    Detail = "The request body is a JSON object; it was null.",
                },
            });
            return;
        }

        await next(context);
    });

    static async Task<bool> IsNullAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        var buffer = new byte[Peek + 1];
        var read = 0;
        int last;
        while (read < buffer.Length && (last = await request.Body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += last;
        request.Body.Position = 0;
        return read <= Peek && Encoding.UTF8.GetString(buffer, 0, read).Trim().Trim('\uFEFF').Trim() == "null";
    }
}
