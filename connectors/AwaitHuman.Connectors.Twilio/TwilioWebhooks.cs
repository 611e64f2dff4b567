using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// Twilio's webhooks for one connection: incoming messages at <c>/connectors/twilio/{connection}/inbound</c>
/// (configured on the number or Messaging Service) and status callbacks at <c>.../status</c> (set on
/// each send). Each request is checked against <c>X-Twilio-Signature</c> with the connection's auth
/// token before anything reaches the inbox; otherwise 403 and nothing changes.
/// </summary>
public static class TwilioWebhooks
{
    public const string InboundPath = "inbound";
    public const string StatusPath = "status";
    public const string MessageIdParameter = "message_id";

    /// <summary>Twilio reads the answer to an incoming message as TwiML: an empty response sends nothing back.</summary>
    public const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    // Twilio's default opt-out and opt-in keywords for SMS, used when the number has no Advanced
    // Opt-Out (which reports OptOutType itself). YES is left out: it answers operators' questions.
    static readonly HashSet<string> OptOutKeywords = new(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"], StringComparer.OrdinalIgnoreCase);
    static readonly HashSet<string> OptInKeywords = new(["START", "UNSTOP"], StringComparer.OrdinalIgnoreCase);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var twilio = endpoints.MapGroup($"/connectors/{TwilioConnector.ProviderName}/{{connection}}")
            .WithTags("Connectors")
            .ExcludeFromDescription()
            .AllowAnonymous()
            // Twilio calls from a few addresses for every tenant: the anonymous per-address limit
            // would drop customers' messages. The signature check is the gate here.
            .DisableRateLimiting();
        twilio.MapPost($"/{InboundPath}", InboundAsync);
        twilio.MapPost($"/{StatusPath}", StatusAsync);
    }

    static async Task<IResult> InboundAsync(string connection, HttpContext context, IChannelInbox inbox, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(TwilioWebhooks));
        if (await VerifyAsync(connection, InboundPath, context, inbox, logger, ct) is not { } request)
            return Forbidden();

        var from = request.Value("From");
        var sid = request.Value("MessageSid") ?? request.Value("SmsMessageSid") ?? request.Value("SmsSid");
        if (from is null || sid is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an incoming message", detail: "MessageSid and From are required.");

        var body = request.Value("Body") ?? "";
        var message = new InboundMessage(
            ProviderMessageId: sid,
            Channel: TwilioAddresses.IsWhatsApp(from) ? ChannelKinds.WhatsApp : ChannelKinds.Sms,
            From: TwilioAddresses.WithoutWhatsApp(from),
            FromName: request.Value("ProfileName"),
            Text: WithMediaNotes(body, request),
            At: time.GetUtcNow(),
            Consent: ConsentOf(request.Value("OptOutType"), body));
        var result = await inbox.ReceiveAsync(request.Connection, message, ct);
        logger.LogInformation("Twilio message {MessageSid} on connection {ConnectionId}: {Result}", sid, request.Connection.Id, result);
        return Results.Text(EmptyTwiml, "text/xml", Encoding.UTF8);
    }

    static async Task<IResult> StatusAsync(string connection, HttpContext context, IChannelInbox inbox, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(TwilioWebhooks));
        if (await VerifyAsync(connection, StatusPath, context, inbox, logger, ct) is not { } request)
            return Forbidden();

        var sid = request.Value("MessageSid") ?? request.Value("SmsSid");
        var status = (request.Value("MessageStatus") ?? request.Value("SmsStatus"))?.ToLowerInvariant();
        if (sid is null || status is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a status callback", detail: "MessageSid and MessageStatus are required.");
        // Statuses of incoming messages (receiving, received) are not deliveries of ours.
        if (TwilioStatuses.ToDeliveryState(status) is not { } state)
            return Results.NoContent();

        var errorCode = request.Value("ErrorCode") is { } code && code != "0" ? code : null;
        var channel = TwilioAddresses.IsWhatsApp(request.Value("To") ?? "") ? ChannelKinds.WhatsApp : ChannelKinds.Sms;
        var report = new DeliveryReport(
            ProviderEventId: $"{sid}:{status}",
            ProviderMessageId: sid,
            MessageId: Guid.TryParse(context.Request.Query[MessageIdParameter], out var messageId) ? messageId : null,
            State: state,
            At: time.GetUtcNow(),
            ErrorCode: errorCode,
            ErrorMessage: errorCode is null ? null : request.Value("ErrorMessage") ?? TwilioErrors.Suggestion(errorCode, channel));
        var result = await inbox.ReportAsync(request.Connection, report, ct);
        logger.LogDebug("Twilio status {Status} of {MessageSid} on connection {ConnectionId}: {Result}", status, sid, request.Connection.Id, result);
        return Results.NoContent();
    }

    /// <summary>The connection and the signed parameters, or null when the request is not Twilio's for that connection.</summary>
    static async Task<SignedRequest?> VerifyAsync(string connectionId, string path, HttpContext context, IChannelInbox inbox, ILogger logger, CancellationToken ct)
    {
        if (!Guid.TryParse(connectionId, out var id) || await inbox.FindConnectionAsync(TwilioConnector.ProviderName, id, ct) is not { } connection)
        {
            logger.LogWarning("Twilio webhook for unknown or disabled connection {ConnectionId} refused", connectionId);
            return null;
        }

        List<KeyValuePair<string, string>> parameters = [];
        if (context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(ct);
                parameters = [.. form.SelectMany(field => field.Value.Select(value => new KeyValuePair<string, string>(field.Key, value ?? "")))];
            }
            catch (InvalidDataException)
            {
                logger.LogWarning("Twilio webhook for connection {ConnectionId} refused: unreadable form", id);
                return null;
            }
        }

        var signature = context.Request.Headers[TwilioSignature.Header].ToString();
        if (!TwilioSignature.IsValid(connection.Secret(TwilioConnector.Secrets.AuthToken), signature, UrlsTwilioMayHaveCalled(context.Request, connection, path), parameters))
        {
            logger.LogWarning("Twilio webhook for connection {ConnectionId} refused: {Problem} signature", id, signature.Length == 0 ? "no" : "a wrong");
            return null;
        }

        var request = new SignedRequest(connection, parameters);
        // A signature with the right token from another (sub)account is not this connection's traffic.
        if (request.Value("AccountSid") is { } account && !account.Equals(connection.Setting(TwilioConnector.Settings.AccountSid), StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("Twilio webhook for connection {ConnectionId} refused: it names another account", id);
            return null;
        }
        return request;
    }

    /// <summary>
    /// The request's own URL (scheme and host as the forwarded headers middleware left them, for
    /// a proxy in front) and the same path on the platform's public address, which is what the
    /// status callback URLs and the documented inbound URL are made of.
    /// </summary>
    static IEnumerable<string> UrlsTwilioMayHaveCalled(HttpRequest request, ChannelConnection connection, string path) =>
    [
        request.GetEncodedUrl(),
        connection.WebhookUrl(path) + request.QueryString.ToUriComponent(),
    ];

    static string WithMediaNotes(string body, SignedRequest request)
    {
        // Media stay at Twilio (fetching them needs the account's credentials); the operator sees what came and where.
        if (!int.TryParse(request.Value("NumMedia"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            return body;
        var text = new StringBuilder(body);
        for (var i = 0; i < count; i++)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"[attachment {request.Value($"MediaContentType{i}") ?? "file"}: {request.Value($"MediaUrl{i}")}]");
        }
        return text.ToString();
    }

    static string? ConsentOf(string? optOutType, string body) => optOutType?.ToUpperInvariant() switch
    {
        "STOP" => ConsentChanges.OptOut,
        "START" => ConsentChanges.OptIn,
        { } => null, // HELP and whatever Twilio adds later
        null => OptOutKeywords.Contains(body.Trim()) ? ConsentChanges.OptOut : OptInKeywords.Contains(body.Trim()) ? ConsentChanges.OptIn : null,
    };

    static IResult Forbidden() =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not a Twilio request for this connection",
            detail: "The X-Twilio-Signature header is missing or does not match.");

    sealed record SignedRequest(ChannelConnection Connection, IReadOnlyList<KeyValuePair<string, string>> Parameters)
    {
        public string? Value(string name) => Parameters.FirstOrDefault(p => p.Key == name).Value is { Length: > 0 } value ? value : null;
    }
}
