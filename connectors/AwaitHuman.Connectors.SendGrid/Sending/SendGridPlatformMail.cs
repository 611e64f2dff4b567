using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid.Helpers.Mail;

namespace AwaitHuman.Connectors.SendGrid.Sending;

/// <summary>
/// Account mail through the installation's own SendGrid account (<see cref="PlatformMailSettings"/>):
/// plain text, no tracking, so codes and links arrive exactly as written.
/// </summary>
public sealed class SendGridPlatformMail(
    IHttpClientFactory httpClientFactory,
    IOptions<SendGridOptions> options,
    TimeProvider time,
    ILogger<SendGridPlatformMail> logger) : IPlatformMailTransport
{
    /// <summary>Our id of the mail, echoed back by SendGrid's Event Webhook.</summary>
    public const string MailIdArg = "account_mail_id";

    public string Provider => SendGridConnection.Provider;

    public async Task<SendOutcome> SendAsync(PlatformMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sender = settings.PlatformMail;
        var message = new SendGridMessage();
        message.SetFrom(new EmailAddress(sender.FromEmail, sender.FromName));
        message.AddTo(new EmailAddress(mail.To));
        message.SetGlobalSubject(mail.Subject);
        message.PlainTextContent = mail.Text;
        // Click tracking would rewrite the reset and sign-in links; open tracking needs HTML we do not send.
        message.SetClickTracking(false, false);
        message.SetOpenTracking(false);
        message.AddGlobalCustomArg(MailIdArg, mail.Id.ToString());

        var (response, unreachable) = await SendGridConnector.MailSendAsync(httpClientFactory, settings, sender.ApiKey, message, cancellationToken);
        if (unreachable is not null) return unreachable;

        var status = (int)response!.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var sendGridId = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
            logger.LogInformation("SendGrid accepted account mail {MailId} as {SendGridMessageId}", mail.Id, sendGridId);
            return new SendOutcome.Accepted(sendGridId ?? mail.Id.ToString(), DeliveryStates.Queued);
        }
        var error = await SendGridConnector.ErrorOf(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            return new SendOutcome.RetryLater($"SendGrid answered {status}: {error}", SendGridConnector.RetryAfterOf(response.Headers, time));
        return new SendOutcome.Failed($"sendgrid_{status}", $"SendGrid refused the account mail: {error}",
            response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? "Check Connectors:SendGrid:PlatformMail: the API key needs Mail Send, and from_email must be a verified sender."
                : "Check the person's email address.");
    }
}
