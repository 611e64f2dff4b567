using System.Text;
using AwaitHuman.Connectors.SendGrid.Inbound;
using Microsoft.AspNetCore.Http;

namespace AwaitHuman.Connectors.SendGrid.Tests.Inbound;

public sealed class InboundEmailTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 11, 0, 0, TimeSpan.Zero);
    private readonly ChannelConnection connection = TestConnections.SendGrid();
    private readonly SendGridOptions options = new() { MaxAttachmentBytes = 1000, MaxTotalAttachmentBytes = 1500 };

    private async Task<InboundReading> ReadAsync(InboundParsePost post)
    {
        using var content = post.ToContent();
        var form = await InboundParseForm.ReadAsync(content.Headers.ContentType!.ToString(), await content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            options.MaxAttachmentBytes, options.MaxTotalAttachmentBytes, TestContext.Current.CancellationToken);
        return InboundEmail.Read(form, connection, options, Now);
    }

    private static string ReplyAddress(Guid escalation) => ReplyAddresses.For(escalation, TestConnections.InboundDomain, TestConnections.ReplyKey);

    [Fact]
    public async Task An_answer_to_a_reply_address_is_the_customers_message_on_that_escalation_without_its_history()
    {
        var escalation = Guid.CreateVersion7();

        var reading = await ReadAsync(new InboundParsePost
        {
            To = $"Acme Support <{ReplyAddress(escalation)}>",
            InReplyTo = "<0195a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b@reply.acme.example>",
            References = "<root@reply.acme.example> <0195a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b@reply.acme.example>",
        });

        var message = reading.Message.ShouldNotBeNull();
        message.ShouldBe(new InboundMessage(
            ProviderMessageId: "CAF=jane1@mail.gmail.com",
            Channel: ChannelKinds.Email,
            From: "jane@customer.example",
            FromName: "Jane Doe",
            Text: "Thanks!",
            At: Now,
            EscalationId: escalation,
            InReplyTo: message.InReplyTo));
        message.InReplyTo.ShouldBe(["0195a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b@reply.acme.example", "root@reply.acme.example"]);
    }

    [Fact]
    public async Task The_envelope_finds_the_reply_address_when_the_headers_do_not()
    {
        var escalation = Guid.CreateVersion7();

        var reading = await ReadAsync(new InboundParsePost { To = "someone@else.example", Envelope = $$"""{"to":["{{ReplyAddress(escalation)}}"],"from":"jane@customer.example"}""" });

        reading.Message!.EscalationId.ShouldBe(escalation);
    }

    [Fact]
    public async Task Mail_to_no_reply_address_is_left_for_the_inbox_to_match_by_thread_or_sender()
    {
        var reading = await ReadAsync(new InboundParsePost { InReplyTo = "<ours@reply.acme.example>" });

        reading.Message!.EscalationId.ShouldBeNull();
        reading.Message.InReplyTo.ShouldBe(["ours@reply.acme.example"]);
    }

    [Fact]
    public async Task A_forged_reply_address_is_refused()
    {
        var tag = ReplyAddress(Guid.CreateVersion7()).Split('@')[0].Split('.')[1];

        var reading = await ReadAsync(new InboundParsePost { To = $"reply+{Guid.CreateVersion7():N}.{tag}@{TestConnections.InboundDomain}" });

        reading.Message.ShouldBeNull();
        reading.ForgedAddress.ShouldNotBeNull();
    }

    [Fact]
    public async Task Text_in_the_charset_SendGrid_names_is_decoded()
    {
        var reading = await ReadAsync(new InboundParsePost { Text = "Très bien, merci à vous.", TextEncoding = Encoding.Latin1 });

        reading.Message!.Text.ShouldBe("Très bien, merci à vous.");
    }

    [Fact]
    public async Task Html_is_sanitised_and_stripped_of_its_quote()
    {
        var reading = await ReadAsync(new InboundParsePost
        {
            Html = """<div>Thanks!<script>steal()</script></div><div class="gmail_quote">On Mon wrote: <blockquote>old</blockquote></div>""",
        });

        reading.Message!.Html.ShouldBe("<div>Thanks!</div>");
    }

    [Fact]
    public async Task An_html_only_email_gets_its_text_from_the_html()
    {
        var reading = await ReadAsync(new InboundParsePost { Text = null, Html = "<p>Call me <b>tomorrow</b></p><blockquote type=\"cite\">old</blockquote>" });

        reading.Message!.Text.ShouldBe("Call me tomorrow");
    }

    [Fact]
    public async Task Attachments_within_the_limits_are_kept_and_the_others_named_in_the_text()
    {
        var post = new InboundParsePost();
        post.Attachments.Add(("receipt.pdf", "application/pdf", new byte[800]));
        post.Attachments.Add(("huge.zip", "application/zip", new byte[1200]));
        post.Attachments.Add(("photo.jpg", "image/jpeg", new byte[800]));
        post.Attachments.Add(("note.txt", "text/plain", Encoding.UTF8.GetBytes("hello")));

        var message = (await ReadAsync(post)).Message!;

        message.Attachments.ShouldNotBeNull().Select(a => (a.FileName, a.ContentType, a.Content.Length))
            .ShouldBe([("receipt.pdf", "application/pdf", 800), ("note.txt", "text/plain", 5)]);
        message.Text.ShouldStartWith("Thanks!");
        message.Text.ShouldContain("[Attachment not kept: huge.zip (0 MB), larger than 0 MB per file.");
        message.Text.ShouldContain("[Attachment not kept: photo.jpg (0 MB), past 0 MB of attachments per email.");
    }

    [Fact]
    public async Task A_retried_post_without_Message_ID_gets_the_same_id()
    {
        var first = await ReadAsync(new InboundParsePost { MessageId = "" });
        var again = await ReadAsync(new InboundParsePost { MessageId = "" });

        first.Message!.ProviderMessageId.ShouldEndWith("@inbound-parse.invalid");
        again.Message!.ProviderMessageId.ShouldBe(first.Message.ProviderMessageId);
    }

    [Theory]
    [InlineData("Jane Doe <jane@customer.example>", "Auto-Submitted: auto-replied\n")]
    [InlineData("Jane Doe <jane@customer.example>", "X-Autoreply: yes\n")]
    [InlineData("Jane Doe <jane@customer.example>", "Precedence: auto_reply\n")]
    [InlineData("Mail Delivery System <MAILER-DAEMON@customer.example>", "")]
    public async Task Automatic_replies_and_bounces_are_not_the_customers_answer(string from, string headers)
    {
        var reading = await ReadAsync(new InboundParsePost { From = from, ExtraHeaders = headers });

        reading.Message.ShouldBeNull();
        reading.IsAutomatic.ShouldBeTrue();
    }

    [Fact]
    public async Task A_message_marked_not_auto_submitted_is_the_customers() =>
        (await ReadAsync(new InboundParsePost { ExtraHeaders = "Auto-Submitted: no\n" })).Message.ShouldNotBeNull();

    [Fact]
    public async Task Raw_MIME_posts_are_refused_with_what_to_change()
    {
        using var content = new MultipartFormDataContent { { new StringContent("From: a@b.example\r\n\r\nhi"), "email" }, { new StringContent("jane@customer.example"), "from" } };
        var form = await InboundParseForm.ReadAsync(content.Headers.ContentType!.ToString(), await content.ReadAsStreamAsync(TestContext.Current.CancellationToken), 1000, 1000, TestContext.Current.CancellationToken);

        InboundEmail.Read(form, connection, options, Now).RefusedBecause.ShouldNotBeNull().ShouldContain("raw");
    }

    [Fact]
    public async Task A_post_that_is_not_multipart_is_refused() =>
        await Should.ThrowAsync<InvalidDataException>(() => InboundParseForm.ReadAsync("application/json", new MemoryStream(), 1, 1, TestContext.Current.CancellationToken));

    [Theory]
    [InlineData("sendgrid:" + TestConnections.ParsePassword, true)]
    [InlineData("sendgrid:wrong-password-0123456789abcdef", false)]
    [InlineData("someone:" + TestConnections.ParsePassword, false)]
    [InlineData("", false)]
    public void Parse_credentials_must_match_the_connections(string credentials, bool accepted)
    {
        var context = new DefaultHttpContext();
        if (credentials.Length > 0)
            context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

        InboundParseEndpoint.HasCredentials(context.Request, TestConnections.ParsePassword).ShouldBe(accepted);
    }

    [Fact]
    public void A_connection_without_a_parse_password_accepts_no_credentials()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("sendgrid:"));

        InboundParseEndpoint.HasCredentials(context.Request, "").ShouldBeFalse();
    }
}
