using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace AwaitHuman.Connectors.Twilio;

/// <summary>
/// SMS and WhatsApp through Twilio's Messages resource
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded, HTTP basic auth),
/// with the Twilio SDK over the named <see cref="HttpClientName"/> client.
/// Twilio has no idempotency field on a message, so our message id rides on the status callback
/// URL: callbacks of a message sent twice after a crash still name the reply they belong to.
/// </summary>
public sealed class TwilioConnector(IHttpClientFactory httpClients, IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioConnector> logger)
    : IChannelConnector
{
    public const string ProviderName = "twilio";
    public const string HttpClientName = "AwaitHuman.Connectors.Twilio";
    public const int MaxTextLength = 1600;

    /// <summary>Added to the SDK's User-Agent, so Twilio's logs tell our requests apart.</summary>
    public const string UserAgent = "AwaitHuman-Twilio/1.0";

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
        var request = MessageOf(message, connection);
        if (request.From is null && request.MessagingServiceSid is null)
            return new SendOutcome.Failed("no_sender", $"The Twilio connection '{connection.Name}' has no sender for {message.Channel}.",
                message.Channel == ChannelKinds.WhatsApp
                    ? "Set whatsapp_from (or a messaging_service_sid with a WhatsApp sender) on the connection, or reach the customer on another channel."
                    : "Set from (or a messaging_service_sid) on the connection, or reach the customer on another channel.");

        using var http = httpClients.CreateClient(HttpClientName);
        // The SDK passes no cancellation token to HttpClient: the client's timeout is the send's deadline.
        http.Timeout = options.Value.SendTimeout;
        // One SDK client per send: the connection's credentials, and LastResponse is this send's answer.
        var twilioHttp = new SystemNetHttpClient(http);
        MessageResource? created = null;
        try
        {
            // On shutdown stop waiting; disposing the client then cancels the request.
            created = await MessageResource.CreateAsync(request, RestClientOf(connection, twilioHttp)).WaitAsync(cancellationToken);
        }
        catch (ApiConnectionException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Twilio may have taken the message before the connection broke; a resend can duplicate
            // it, and its status callbacks still carry our message id.
            logger.LogWarning(e, "Twilio send of message {MessageId} did not complete; it will be retried", message.MessageId);
            var cause = e.InnerException ?? e;
            return new SendOutcome.RetryLater(cause is OperationCanceledException
                ? $"Twilio did not answer within {options.Value.SendTimeout.TotalSeconds:0} s."
                : $"Twilio could not be reached: {cause.Message}");
        }
        catch (ApiException) when (twilioHttp.LastResponse is not null)
        {
            // A refusal, or an answer the SDK could not read: Twilio's response says which.
        }

        var outcome = OutcomeOf(twilioHttp.LastResponse!, created, message.Channel, time.GetUtcNow());
        if (outcome is SendOutcome.Accepted accepted && message.Channel == ChannelKinds.Sms && message.Text is { } text)
            outcome = accepted with { Measure = SmsSegments.Measure(text) };
        return outcome;
    }

    /// <summary>The Messages resource's parameters for <paramref name="message"/>; neither From nor MessagingServiceSid when the connection has no sender for its channel.</summary>
    internal static CreateMessageOptions MessageOf(OutboundMessage message, ChannelConnection connection)
    {
        var request = new CreateMessageOptions(new PhoneNumber(TwilioAddresses.OnChannel(message.Channel, message.To)))
        {
            PathAccountSid = connection.Setting(Settings.AccountSid),
            StatusCallback = new Uri(StatusCallbackUrl(connection, message.MessageId)),
        };

        var service = connection.OptionalSetting(Settings.MessagingServiceSid);
        var from = message.Channel == ChannelKinds.WhatsApp
            ? connection.OptionalSetting(Settings.WhatsAppFrom) is { } whatsApp ? TwilioAddresses.OnChannel(ChannelKinds.WhatsApp, whatsApp) : null
            : connection.OptionalSetting(Settings.From);
        // A Messaging Service picks the sender (and applies its opt-out handling) when it is set.
        if (service is not null)
            request.MessagingServiceSid = service;
        else if (from is not null)
            request.From = new PhoneNumber(from);

        if (message.Template is { } template)
        {
            request.ContentSid = template.ContentSid;
            request.ContentVariables = JsonSerializer.Serialize(template.Variables);
        }
        else
            request.Body = message.Text ?? "";
        return request;
    }

    public static string StatusCallbackUrl(ChannelConnection connection, Guid messageId) =>
        $"{connection.WebhookUrl(TwilioWebhooks.StatusPath)}?{TwilioWebhooks.MessageIdParameter}={messageId:D}";

    /// <summary>
    /// The SDK's client for one connection: HTTP basic auth with its API key when it has one, else
    /// with the account's auth token. It does not retry: a failure comes back as RetryLater and the
    /// core retries durably.
    /// </summary>
    static TwilioRestClient RestClientOf(ChannelConnection connection, SystemNetHttpClient http)
    {
        var accountSid = connection.Setting(Settings.AccountSid);
        var keySid = connection.Secret(Secrets.ApiKeySid);
        var (user, password) = keySid.Length > 0
            ? (keySid, connection.Secret(Secrets.ApiKeySecret))
            : (accountSid, connection.Secret(Secrets.AuthToken));
        return new TwilioRestClient(user, password, accountSid, httpClient: http) { UserAgentExtensions = [UserAgent] };
    }

    /// <summary>Twilio's answer to a send: accepted, worth retrying (429, 5xx, 408), or refused for good.</summary>
    /// <param name="created">The message the SDK read from a successful answer; null when it could not.</param>
    internal static SendOutcome OutcomeOf(Response response, MessageResource? created, string channel, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            if (created?.Sid is not { Length: > 0 } sid)
                return new SendOutcome.RetryLater($"Twilio answered {status} without a message SID.");
            return new SendOutcome.Accepted(sid, TwilioStatuses.ToDeliveryState(created.Status?.ToString()) ?? DeliveryStates.Queued);
        }

        var answer = ErrorOf(response.Content);
        var code = answer is { Code: > 0 and var c } ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var error = answer?.Message is { Length: > 0 } message ? message : $"Twilio answered {status} {ReasonPhrases.GetReasonPhrase(status)}.";
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
            return new SendOutcome.RetryLater(code is not null ? $"{error} (Twilio error {code})" : error, RetryAfter(response, now));

        code ??= $"http_{status}";
        return new SendOutcome.Failed(code, error, TwilioErrors.Suggestion(code, channel));
    }

    static TimeSpan? RetryAfter(Response response, DateTimeOffset now) => response.Headers?.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Twilio's error body (code, message), or null when the answer is not one.</summary>
    static RestException? ErrorOf(string? body)
    {
        try
        {
            return string.IsNullOrEmpty(body) ? null : RestException.FromJson(body);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    static string? NonEmpty(string value) => value.Length > 0 ? value : null;
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
