using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AwaitHuman.Connectors.WebChat;

/// <summary>
/// CORS for the widget's API, per connection: a browser request from an origin outside the
/// connection's <c>allowed_origins</c> is refused before anything runs (a refused POST stores
/// nothing), and the allowed origin is echoed back. Requests without <c>Origin</c> are not from
/// another site's page (servers, same-origin pages) and need only the token.
/// </summary>
static class Cors
{
    public static readonly IResult Refusal = Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
        detail: "This site is not among the chat connection's allowed origins.");

    /// <summary>False when the request's origin is not allowed.</summary>
    public static bool Apply(HttpContext context, ChannelConnection connection)
    {
        var headers = context.Response.Headers;
        headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!AllowedOrigins.Allows(connection.Setting(AllowedOrigins.Setting), origin)) return false;
        headers.AccessControlAllowOrigin = origin;
        return true;
    }

    public static void AllowPreflight(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowMethods = "GET, POST";
        headers.AccessControlAllowHeaders = "authorization, content-type, last-event-id";
        headers.AccessControlMaxAge = "600";
    }
}
