using System.Net;
using System.Net.Http.Headers;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace AwaitHuman.Connectors.SendGrid.Sending;

/// <summary>
/// Email through SendGrid's Mail Send API (v3), with our own Message-ID so retries of one
/// message carry the same id and the customer's answer threads back to it.
/// </summary>
public sealed class SendGridConnector(
    IHttpClientFactory httpClientFactory,
    IOptions<SendGridOptions> options,
    TimeProvider time,
    ILogger<SendGridConnector> logger) : IChannelConnector
{
    public const string HttpClientName = "sendgrid";

    /// <summary>Generous for one reply; SendGrid's own limit is the 30 MB message.</summary>
    public const int MaxTextLength = 100_000;

    public string Provider => SendGridConnection.Provider;

    public IReadOnlyList<string> Channels { get; } = [ChannelKinds.Email];

    public ConnectionSchema Schema => SendGridConnection.Schema;

    public ChannelCapabilities CapabilitiesOf(string channel) => new(MaxTextLength, ThreadsReplies: true);

    public IReadOnlyDictionary<string, string> Validate(ChannelConnection connection)
    {
        var problems = new Dictionary<string, string>();
        var from = connection.Setting(SendGridConnection.FromEmail);
        if (from.Length > 0 && !IsEmailAddress(from))
            problems[$"settings.{SendGridConnection.FromEmail}"] = "Must be an email address, e.g. support@acme.example.";
        var domain = connection.Setting(SendGridConnection.InboundDomain);
        if (domain.Length > 0 && (Uri.CheckHostName(domain) != UriHostNameType.Dns || !domain.Contains('.')))
            problems[$"settings.{SendGridConnection.InboundDomain}"] = "Must be a domain name, e.g. reply.acme.example.";
        var publicKey = connection.OptionalSetting(SendGridConnection.EventWebhookPublicKey);
        if (publicKey is not null && !Events.EventWebhookSignature.TryImportPublicKey(publicKey, out _))
            problems[$"settings.{SendGridConnection.EventWebhookPublicKey}"] = "Must be the base64 public key SendGrid shows for the Signed Event Webhook (an ECDSA P-256 key).";
        var password = connection.Secret(SendGridConnection.InboundParsePassword);
        if (password.Length > 0 && (password.Length < SendGridConnection.MinSecretLength || !password.All(IsUrlUnreserved)))
            problems[$"secrets.{SendGridConnection.InboundParsePassword}"] = $"Must be at least {SendGridConnection.MinSecretLength} characters of A-Z a-z 0-9 - . _ ~ (it goes in a URL).";
        var replyKey = connection.Secret(SendGridConnection.ReplyAddressKey);
        if (replyKey.Length > 0 && replyKey.Length < SendGridConnection.MinSecretLength)
            problems[$"secrets.{SendGridConnection.ReplyAddressKey}"] = $"Must be at least {SendGridConnection.MinSecretLength} random characters.";
        return problems;
    }

    public async Task<SendOutcome> SendAsync(OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message.Text))
            return new SendOutcome.Failed("no_text", "Email needs text; templates are for WhatsApp.", "Write the reply as text.");
        if (!IsEmailAddress(message.To))
            return new SendOutcome.Failed("invalid_address", $"'{message.To}' is not an email address.", "Reach the customer on another channel, or correct their email address.");

        var mail = Compose(message, connection);
        // One client per send: each connection's API key stays with its own requests.
        var (response, unreachable) = await MailSendAsync(httpClientFactory, options.Value, connection.Secret(SendGridConnection.ApiKey), mail, cancellationToken);
        return unreachable ?? await OutcomeOf(response!, message, connection, cancellationToken);
    }

    /// <summary>One Mail Send call; when SendGrid cannot be reached or does not answer in time, a RetryLater instead of a response.</summary>
    internal static async Task<(Response? Response, SendOutcome.RetryLater? Unreachable)> MailSendAsync(
        IHttpClientFactory httpClientFactory, SendGridOptions settings, string? apiKey, SendGridMessage mail, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        http.Timeout = settings.SendTimeout;
        var client = new SendGridClient(http, new SendGridClientOptions { ApiKey = apiKey, Host = settings.ApiBaseUrl });
        try
        {
            return (await client.SendEmailAsync(mail, cancellationToken), null);
        }
        catch (HttpRequestException e)
        {
            return (null, new SendOutcome.RetryLater($"SendGrid unreachable: {e.Message}"));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new SendOutcome.RetryLater($"SendGrid did not answer within {settings.SendTimeout.TotalSeconds:0} s."));
        }
    }

    /// <summary>The Mail Send request for one operator reply.</summary>
    public SendGridMessage Compose(OutboundMessage message, ChannelConnection connection)
    {
        var domain = connection.Setting(SendGridConnection.InboundDomain);
        var (inReplyTo, references) = EmailThreading.HeadersFor(message.Thread.ProviderMessageIds);
        var mail = new SendGridMessage();
        mail.SetFrom(new EmailAddress(connection.Setting(SendGridConnection.FromEmail), SenderName(message.From, connection.OptionalSetting(SendGridConnection.FromName))));
        mail.AddTo(new EmailAddress(message.To, string.IsNullOrWhiteSpace(message.CustomerName) ? null : message.CustomerName));
        mail.SetGlobalSubject(EmailThreading.SubjectFor(message.Thread.Subject, isReply: inReplyTo is not null, fallback: "Your request"));
        mail.SetReplyTo(new EmailAddress(ReplyAddressOf(message.EscalationId, connection)));
        mail.PlainTextContent = message.Text;
        // An HTML part as well: SendGrid's open tracking (our "read") needs one.
        mail.HtmlContent = HtmlOf(message.Text!);
        mail.AddGlobalHeader("Message-ID", EmailThreading.Bracketed(EmailThreading.MessageIdFor(message.MessageId, domain)));
        if (inReplyTo is not null)
        {
            mail.AddGlobalHeader("In-Reply-To", inReplyTo);
            mail.AddGlobalHeader("References", references!);
        }
        mail.AddGlobalCustomArg(CustomArgs.MessageId, message.MessageId.ToString());
        mail.AddGlobalCustomArg(CustomArgs.EscalationId, message.EscalationId.ToString());
        return mail;
    }

    /// <summary>"Anna (Acme Support)": the operator by name, the company the address belongs to.</summary>
    private static string? SenderName(string operatorName, string? fromName) =>
        (string.IsNullOrWhiteSpace(operatorName), fromName) switch
        {
            (true, _) => fromName,
            (false, null) => operatorName.Trim(),
            _ => $"{operatorName.Trim()} ({fromName})",
        };

    /// <summary>
    /// The customer's reply address for an escalation. Computed here rather than taken from
    /// <see cref="ConversationThread.ReplyAddress"/>: only the connector holds the key that signs it.
    /// </summary>
    public static string ReplyAddressOf(Guid escalationId, ChannelConnection connection) =>
        ReplyAddresses.For(escalationId, connection.Setting(SendGridConnection.InboundDomain), connection.Secret(SendGridConnection.ReplyAddressKey));

    private async Task<SendOutcome> OutcomeOf(Response response, OutboundMessage message, ChannelConnection connection, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var sendGridId = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
            var messageId = EmailThreading.MessageIdFor(message.MessageId, connection.Setting(SendGridConnection.InboundDomain));
            logger.LogInformation("SendGrid accepted {MessageId} as {SendGridMessageId}", messageId, sendGridId);
            // The Message-ID, not SendGrid's X-Message-Id, is the provider id: it is what the
            // customer's In-Reply-To/References name, and Event Webhook reports carry it back.
            return new SendOutcome.Accepted(messageId, DeliveryStates.Queued);
        }

        var error = await ErrorOf(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            return new SendOutcome.RetryLater($"SendGrid answered {status}: {error}", RetryAfterOf(response.Headers, time));

        var code = $"sendgrid_{status}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new SendOutcome.Failed(code, $"SendGrid refused the API key: {error}",
                "An admin must check the SendGrid connection's API key (it needs the Mail Send permission); meanwhile reach the customer on another channel."),
            HttpStatusCode.Forbidden => new SendOutcome.Failed(code, $"SendGrid refused the sender: {error}",
                "An admin must verify the connection's from_email in SendGrid (Sender Identity or authenticated domain) and the API key's permissions; meanwhile reach the customer on another channel."),
            HttpStatusCode.RequestEntityTooLarge => new SendOutcome.Failed(code, $"The email is too large for SendGrid: {error}", "Shorten the reply."),
            _ => new SendOutcome.Failed(code, $"SendGrid refused the email: {error}",
                "Check the customer's email address, or reach them on another channel."),
        };
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseHeaders headers, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
                return delta;
            if (retryAfter.Date is { } date)
                return date > now ? date - now : TimeSpan.Zero;
        }
        // SendGrid's rate limit answer: when the window resets, in Unix seconds.
        if (headers.TryGetValues("X-RateLimit-Reset", out var values) && long.TryParse(values.FirstOrDefault(), out var reset))
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(reset);
            return at > now ? at - now : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>SendGrid's <c>{"errors":[{"message","field"}]}</c>, as one line.</summary>
    internal static async Task<string> ErrorOf(Response response, CancellationToken cancellationToken)
    {
        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => (Message: e.TryGetProperty("message", out var m) ? m.GetString() : null, Field: e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null))
                    .Where(e => !string.IsNullOrEmpty(e.Message))
                    .Select(e => e.Field is null ? e.Message! : $"{e.Message} ({e.Field})")
                    .ToList();
                if (messages.Count > 0)
                    return string.Join("; ", messages);
            }
        }
        catch (JsonException)
        {
        }
        return body.Length == 0 ? response.StatusCode.ToString() : body[..Math.Min(body.Length, 500)];
    }

    private static string HtmlOf(string text) =>
        $"<div style=\"white-space: pre-wrap\">{WebUtility.HtmlEncode(text.Replace("\r\n", "\n"))}</div>";

    internal static bool IsEmailAddress(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);

    private static bool IsUrlUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
