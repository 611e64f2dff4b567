using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// SMS and WhatsApp through Twilio's Messages resource
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded, HTTP basic auth).
/// Twilio has no idempotency field on a message, so our message id rides on the status callback
/// URL: callbacks of a message sent twice after a crash still name the reply they belong to.
/// </summary>
public sealed class TwilioConnector(IHttpClientFactory httpClients, IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioConnector> logger)
    : IChannelConnector
{
    public const string ProviderName = "twilio";
    public const string HttpClientName = "AwaitHuman.Connectors.Twilio";
    public const int MaxTextLength = 1600;

    public static class Settings
    {
        public const string AccountSid = "account_sid";
        public const string From = "from";
        public const string MessagingServiceSid = "messaging_service_sid";
        public const string WhatsAppFrom = "whatsapp_from";
    }

    public static class Secrets
    {
        public const string AuthToken = "auth_token";
        public const string ApiKeySid = "api_key_sid";
        public const string ApiKeySecret = "api_key_secret";
    }

    public string Provider => ProviderName;

    public IReadOnlyList<string> Channels { get; } = [ChannelKinds.Sms, ChannelKinds.WhatsApp];

    public ConnectionSchema Schema { get; } = new(
        [
            new(Settings.AccountSid, "The Twilio Account SID (AC followed by 32 hex digits)."),
            new(Settings.From, "The Twilio phone number SMS are sent from, in E.164 (+14155550100). Needed for SMS unless a Messaging Service is set.", Required: false),
            new(Settings.MessagingServiceSid, "A Messaging Service SID (MG...) to send through instead of a single number; it also picks WhatsApp senders.", Required: false),
            new(Settings.WhatsAppFrom, "The WhatsApp-enabled sender number in E.164. Needed for WhatsApp unless the Messaging Service has a WhatsApp sender.", Required: false),
        ],
        [
            new(Secrets.AuthToken, "The account's auth token: Twilio signs its webhooks with it, so it is always needed."),
            new(Secrets.ApiKeySid, "An API key SID (SK...) to call the REST API with instead of the auth token.", Required: false),
            new(Secrets.ApiKeySecret, "The API key's secret, with api_key_sid.", Required: false),
        ],
        // Status callbacks name their URL on each send; only incoming messages are set up in Twilio.
        Webhooks: [TwilioWebhooks.InboundPath]);

    public ChannelCapabilities CapabilitiesOf(string channel) => channel switch
    {
        ChannelKinds.WhatsApp => new(MaxTextLength, SupportsMedia: true, SupportsTemplates: true, MessagingWindow: TimeSpan.FromHours(24), HonoursOptOut: true),
        _ => new(MaxTextLength, HonoursOptOut: true),
    };

    public TextMeasure Measure(string channel, string text) =>
        channel == ChannelKinds.Sms ? SmsSegments.Measure(text) : new TextMeasure(text.Length, Segments: 1, Encoding: null);

    public IReadOnlyDictionary<string, string> Validate(ChannelConnection connection)
    {
        var problems = new Dictionary<string, string>();
        void Check(string field, string? value, System.Text.RegularExpressions.Regex format, string expected)
        {
            if (value is not null && !format.IsMatch(value))
                problems[field] = $"Must be {expected}.";
        }

        Check($"settings.{Settings.AccountSid}", connection.Setting(Settings.AccountSid), TwilioAddresses.AccountSid(), "an Account SID: AC followed by 32 hex digits");
        Check($"settings.{Settings.From}", connection.OptionalSetting(Settings.From), TwilioAddresses.E164(), "a phone number in E.164, e.g. +14155550100");
        Check($"settings.{Settings.MessagingServiceSid}", connection.OptionalSetting(Settings.MessagingServiceSid), TwilioAddresses.MessagingServiceSid(), "a Messaging Service SID: MG followed by 32 hex digits");
        var whatsAppFrom = connection.OptionalSetting(Settings.WhatsAppFrom);
        Check($"settings.{Settings.WhatsAppFrom}", whatsAppFrom is null ? null : TwilioAddresses.WithoutWhatsApp(whatsAppFrom), TwilioAddresses.E164(), "a phone number in E.164, e.g. +14155550100");
        Check($"secrets.{Secrets.AuthToken}", connection.Secret(Secrets.AuthToken), TwilioAddresses.AuthToken(), "the account's auth token: 32 hex digits");

        var keySid = NonEmpty(connection.Secret(Secrets.ApiKeySid));
        var keySecret = NonEmpty(connection.Secret(Secrets.ApiKeySecret));
        Check($"secrets.{Secrets.ApiKeySid}", keySid, TwilioAddresses.ApiKeySid(), "an API key SID: SK followed by 32 hex digits");
        Check($"secrets.{Secrets.ApiKeySecret}", keySecret, TwilioAddresses.ApiKeySecret(), "the API key's secret: 32 letters and digits");
        if (keySid is not null && keySecret is null)
            problems[$"secrets.{Secrets.ApiKeySecret}"] = "Needed with api_key_sid.";
        if (keySecret is not null && keySid is null)
            problems[$"secrets.{Secrets.ApiKeySid}"] = "Needed with api_key_secret.";

        var service = connection.OptionalSetting(Settings.MessagingServiceSid);
        if (connection.Channels.Contains(ChannelKinds.Sms) && service is null && connection.OptionalSetting(Settings.From) is null)
            problems.TryAdd($"settings.{Settings.From}", "SMS needs a from number or a messaging_service_sid.");
        if (connection.Channels.Contains(ChannelKinds.WhatsApp) && service is null && whatsAppFrom is null)
            problems.TryAdd($"settings.{Settings.WhatsAppFrom}", "WhatsApp needs a whatsapp_from number or a messaging_service_sid with a WhatsApp sender.");
        return problems;
    }

    public async Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken)
    {
        var form = FormOf(message, connection);
        if (!form.Any(f => f.Key is "From" or "MessagingServiceSid"))
            return new SendOutcome.Failed("no_sender", $"The Twilio connection '{connection.Name}' has no sender for {message.Channel}.",
                message.Channel == ChannelKinds.WhatsApp
                    ? "Set whatsapp_from (or a messaging_service_sid with a WhatsApp sender) on the connection, or reach the customer on another channel."
                    : "Set from (or a messaging_service_sid) on the connection, or reach the customer on another channel.");

        var accountSid = connection.Setting(Settings.AccountSid);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.ApiBaseUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(accountSid)}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = BasicAuthorization(connection);

        using var http = httpClients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.SendTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var outcome = OutcomeOf(response, body, message.Channel, time.GetUtcNow());
            if (outcome is SendOutcome.Accepted accepted && message.Channel == ChannelKinds.Sms && message.Text is { } text)
                outcome = accepted with { Measure = SmsSegments.Measure(text) };
            return outcome;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
        {
            // Twilio may have taken the message before the connection broke; a resend can duplicate
            // it, and its status callbacks still carry our message id.
            logger.LogWarning(e, "Twilio send of message {MessageId} did not complete; it will be retried", message.MessageId);
            return new SendOutcome.RetryLater(e is OperationCanceledException ? $"Twilio did not answer within {options.Value.SendTimeout.TotalSeconds:0} s." : $"Twilio could not be reached: {e.Message}");
        }
    }

    /// <summary>The form fields of the Messages resource, in the order Twilio documents them.</summary>
    internal static List<KeyValuePair<string, string>> FormOf(OutboundMessage message, ChannelConnection connection)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", TwilioAddresses.OnChannel(message.Channel, message.To)) };

        var service = connection.OptionalSetting(Settings.MessagingServiceSid);
        var from = message.Channel == ChannelKinds.WhatsApp
            ? connection.OptionalSetting(Settings.WhatsAppFrom) is { } whatsApp ? TwilioAddresses.OnChannel(ChannelKinds.WhatsApp, whatsApp) : null
            : connection.OptionalSetting(Settings.From);
        // A Messaging Service picks the sender (and applies its opt-out handling) when it is set.
        if (service is not null)
            form.Add(new("MessagingServiceSid", service));
        else if (from is not null)
            form.Add(new("From", from));

        if (message.Template is { } template)
        {
            form.Add(new("ContentSid", template.ContentSid));
            form.Add(new("ContentVariables", JsonSerializer.Serialize(template.Variables)));
        }
        else
            form.Add(new("Body", message.Text ?? ""));

        form.Add(new("StatusCallback", StatusCallbackUrl(connection, message.MessageId)));
        return form;
    }

    public static string StatusCallbackUrl(ChannelConnection connection, Guid messageId) =>
        $"{connection.WebhookUrl(TwilioWebhooks.StatusPath)}?{TwilioWebhooks.MessageIdParameter}={messageId:D}";

    static AuthenticationHeaderValue BasicAuthorization(ChannelConnection connection)
    {
        var keySid = connection.Secret(Secrets.ApiKeySid);
        var (user, password) = keySid.Length > 0
            ? (keySid, connection.Secret(Secrets.ApiKeySecret))
            : (connection.Setting(Settings.AccountSid), connection.Secret(Secrets.AuthToken));
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    /// <summary>Twilio's answer to a send: accepted, worth retrying (429, 5xx, 408), or refused for good.</summary>
    internal static SendOutcome OutcomeOf(HttpResponseMessage response, string body, string channel, DateTimeOffset now)
    {
        var answer = Parse(body);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            if (answer?.Sid is not { Length: > 0 } sid)
                return new SendOutcome.RetryLater($"Twilio answered {status} without a message SID.");
            return new SendOutcome.Accepted(sid, TwilioStatuses.ToDeliveryState(answer.Status) ?? DeliveryStates.Queued);
        }

        var error = answer?.Message is { Length: > 0 } message ? message : $"Twilio answered {status} {response.ReasonPhrase}.";
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
            return new SendOutcome.RetryLater(answer?.Code is { } c ? $"{error} (Twilio error {c})" : error, RetryAfter(response, now));

        var code = answer?.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"http_{status}";
        return new SendOutcome.Failed(code, error, TwilioErrors.Suggestion(code, channel));
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    static TwilioAnswer? Parse(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<TwilioAnswer>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string? NonEmpty(string value) => value.Length > 0 ? value : null;

    /// <summary>The fields we read of a Message resource or of Twilio's error body.</summary>
    sealed record TwilioAnswer(
        [property: JsonPropertyName("sid")] string? Sid,
        [property: JsonPropertyName("status")] JsonElement? RawStatus,
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message)
    {
        // A Message's status is a word; an error body's status is the HTTP status number.
        public string? Status => RawStatus is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
    }
}

/// <summary>Twilio's message statuses as delivery states.</summary>
public static class TwilioStatuses
{
    /// <summary>Null for statuses of inbound messages (receiving, received), which are not deliveries.</summary>
    public static string? ToDeliveryState(string? status) => status?.ToLowerInvariant() switch
    {
        "accepted" or "scheduled" or "queued" or "sending" => DeliveryStates.Queued,
        "sent" => DeliveryStates.Sent,
        "delivered" => DeliveryStates.Delivered,
        "read" => DeliveryStates.Read,
        "failed" or "canceled" => DeliveryStates.Failed,
        "undelivered" => DeliveryStates.Undelivered,
        _ => null,
    };
}
