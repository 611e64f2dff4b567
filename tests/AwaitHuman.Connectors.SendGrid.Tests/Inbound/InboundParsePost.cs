using System.Net.Http.Headers;
using System.Text;

namespace AwaitHuman.Connectors.SendGrid.Tests.Inbound;

/// <summary>A multipart/form-data post shaped like SendGrid Inbound Parse's (default, not raw, mode).</summary>
public sealed class InboundParsePost
{
    public string From { get; init; } = "Jane Doe <Jane@Customer.example>";
    public string To { get; init; } = "support@reply.acme.example";
    public string? Envelope { get; init; }
    public string Subject { get; init; } = "Re: Refund for order 1042";
    public string? Text { get; init; } = "Thanks!\n\nOn Mon, Mar 2, 2026 at 10:00 AM Acme Support <support@acme.example> wrote:\n> Your refund is on its way.";
    public string? Html { get; init; }
    public string MessageId { get; init; } = "<CAF=jane1@mail.gmail.com>";
    public string? InReplyTo { get; init; }
    public string? References { get; init; }
    /// <summary>Extra header lines, e.g. <c>Auto-Submitted: auto-replied</c>.</summary>
    public string ExtraHeaders { get; init; } = "";
    public Encoding TextEncoding { get; init; } = Encoding.UTF8;
    public List<(string FileName, string ContentType, byte[] Content)> Attachments { get; } = [];

    public MultipartFormDataContent ToContent()
    {
        var headers = new StringBuilder()
            .Append("Received: by mx.sendgrid.net with SMTP id abc\n")
            .Append("Message-ID: ").Append(MessageId).Append('\n');
        if (InReplyTo is not null)
            headers.Append("In-Reply-To: ").Append(InReplyTo).Append('\n');
        if (References is not null)
            // Folded over two lines as long References headers are.
            headers.Append("References: ").Append(References.Replace(" ", "\n\t")).Append('\n');
        headers.Append("Subject: ").Append(Subject).Append('\n').Append(ExtraHeaders);

        var content = new MultipartFormDataContent();
        Field(content, "headers", headers.ToString());
        Field(content, "from", From);
        Field(content, "to", To);
        Field(content, "subject", Subject);
        Field(content, "envelope", Envelope ?? $$"""{"to":["{{To}}"],"from":"jane@customer.example"}""");
        if (Text is not null)
            content.Add(new ByteArrayContent(TextEncoding.GetBytes(Text)), "text");
        if (Html is not null)
            Field(content, "html", Html);
        Field(content, "charsets", $$"""{"to":"UTF-8","from":"UTF-8","subject":"UTF-8","text":"{{TextEncoding.WebName}}","html":"UTF-8"}""");
        Field(content, "attachments", Attachments.Count.ToString());
        var info = string.Join(",", Attachments.Select((a, i) =>
            $"\"attachment{i + 1}\":{{\"filename\":\"{a.FileName}\",\"name\":\"{a.FileName}\",\"type\":\"{a.ContentType}\"}}"));
        Field(content, "attachment-info", "{" + info + "}");
        for (var i = 0; i < Attachments.Count; i++)
        {
            var file = new ByteArrayContent(Attachments[i].Content);
            file.Headers.ContentType = new MediaTypeHeaderValue(Attachments[i].ContentType);
            content.Add(file, $"attachment{i + 1}", Attachments[i].FileName);
        }
        return content;
    }

    private static void Field(MultipartFormDataContent content, string name, string value) =>
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(value)), name);
}
