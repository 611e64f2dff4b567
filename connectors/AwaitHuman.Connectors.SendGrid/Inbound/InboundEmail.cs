using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;

namespace AwaitHuman.Connectors.SendGrid.Inbound;

/// <summary>One Inbound Parse post as the customer's message, or why it must not be stored.</summary>
public static class InboundEmail
{
    public static InboundReading Read(InboundParseForm form, ChannelConnection connection, SendGridOptions options, DateTimeOffset now)
    {
        if (form.Field("email") is not null && form.Field("text") is null && form.Field("html") is null)
            return InboundReading.Refuse("Inbound Parse posts raw MIME: turn off \"POST the raw, full MIME message\" for this host in SendGrid.");
        if (!MailAddress.TryCreate(form.Field("from") ?? "", out var from))
            return InboundReading.Refuse("The email has no usable From address.");

        var domain = connection.Setting(SendGridConnection.InboundDomain);
        var key = connection.Secret(SendGridConnection.ReplyAddressKey);
        Guid? escalationId = null;
        foreach (var recipient in RecipientsOf(form))
        {
            var match = ReplyAddresses.Read(recipient, domain, key);
            if (match.IsForged)
                return InboundReading.Forgery(recipient);
            escalationId ??= match.EscalationId;
        }

        var headers = EmailHeaders.Parse(form.Field("headers"));
        if (IsAutomatic(headers, from))
            return InboundReading.Refuse("An automatic reply (out of office, delivery report) is not the customer's answer.", automatic: true);
        var html = form.Field("html");
        var text = form.Field("text") is { Length: > 0 } plain
            ? QuotedHistory.StripText(plain)
            : html is null ? "" : QuotedHistory.StripText(EmailHtml.ToText(html));
        var (attachments, notes) = AttachmentsOf(form, options);
        if (notes.Count > 0)
            text = string.Join("\n\n", [text, .. notes]).Trim();
        var inReplyTo = EmailThreading.IdsIn(headers["In-Reply-To"]).Concat(EmailThreading.IdsIn(headers["References"])).Distinct().ToList();

        var message = new InboundMessage(
            ProviderMessageId: EmailThreading.IdsIn(headers["Message-ID"]).FirstOrDefault() ?? SyntheticMessageId(form),
            Channel: ChannelKinds.Email,
            From: from.Address.ToLowerInvariant(),
            FromName: string.IsNullOrWhiteSpace(from.DisplayName) ? null : from.DisplayName,
            Text: text,
            At: now,
            EscalationId: escalationId,
            Html: EmailHtml.ForDisplay(html),
            InReplyTo: inReplyTo.Count > 0 ? inReplyTo : null,
            Attachments: attachments.Count > 0 ? attachments : null);
        return InboundReading.Accept(message);
    }

    /// <summary>Auto-replies and bounces (RFC 3834 Auto-Submitted, the common vendor headers, mailer daemons): they would read as the customer's answer.</summary>
    private static bool IsAutomatic(EmailHeaders headers, MailAddress from)
    {
        if (headers["Auto-Submitted"] is { } autoSubmitted && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
            return true;
        if (headers["X-Autoreply"] is not null || headers["X-Autorespond"] is not null)
            return true;
        if (headers["Precedence"]?.Trim().ToLowerInvariant() is "auto_reply" or "bulk" or "junk")
            return true;
        return from.User.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || from.User.Equals("postmaster", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>SMTP recipients first, then the To and Cc headers.</summary>
    private static IEnumerable<string> RecipientsOf(InboundParseForm form)
    {
        foreach (var recipient in form.EnvelopeRecipients())
            yield return recipient.Trim();
        foreach (var field in new[] { "to", "cc" })
        {
            var list = new MailAddressCollection();
            try
            {
                if (form.Field(field) is { Length: > 0 } value)
                    list.Add(value);
            }
            catch (FormatException)
            {
            }
            foreach (var address in list)
                yield return address.Address;
        }
    }

    private static (List<InboundAttachment> Kept, List<string> Notes) AttachmentsOf(InboundParseForm form, SendGridOptions options)
    {
        var kept = new List<InboundAttachment>();
        var notes = new List<string>();
        foreach (var file in form.Files)
        {
            var (name, type) = form.AttachmentInfo(file.FieldName);
            name = Path.GetFileName(name ?? file.FileName);
            if (file.Content is null)
            {
                var limit = file.RefusedBecause == "file"
                    ? $"larger than {Megabytes(options.MaxAttachmentBytes)} per file"
                    : $"past {Megabytes(options.MaxTotalAttachmentBytes)} of attachments per email";
                notes.Add($"[Attachment not kept: {name} ({Megabytes(file.Size)}), {limit}. Ask the customer to share it another way.]");
                continue;
            }
            kept.Add(new InboundAttachment(name, type ?? file.ContentType, file.Content));
        }
        return (kept, notes);
    }

    private static string Megabytes(long bytes) => $"{bytes / 1024d / 1024d:0.#} MB";

    /// <summary>For the rare email without a Message-ID: the same post yields the same id, so SendGrid's retries are still dropped as duplicates.</summary>
    private static string SyntheticMessageId(InboundParseForm form)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{form.Field("headers")}\n{form.Field("from")}\n{form.Field("subject")}\n{form.Field("text")}\n{form.Field("html")}"));
        return $"{Convert.ToHexStringLower(digest)}@inbound-parse.invalid";
    }
}

/// <summary>Either a message to hand to the inbox, or a reason to drop the post.</summary>
/// <param name="IsAutomatic">An auto-reply or bounce: dropped, but answered 2xx as it is not SendGrid's fault.</param>
public sealed record InboundReading(InboundMessage? Message, string? RefusedBecause, string? ForgedAddress, bool IsAutomatic = false)
{
    public static InboundReading Accept(InboundMessage message) => new(message, null, null);
    public static InboundReading Refuse(string reason, bool automatic = false) => new(null, reason, null, automatic);
    public static InboundReading Forgery(string address) => new(null, $"The reply address {address} is not one we issued.", address);
}
