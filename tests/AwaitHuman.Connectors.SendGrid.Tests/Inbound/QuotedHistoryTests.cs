using AwaitHuman.Connectors.SendGrid.Inbound;

namespace AwaitHuman.Connectors.SendGrid.Tests.Inbound;

public sealed class QuotedHistoryTests
{
    [Fact]
    public void Gmail_reply_header_wrapped_over_two_lines_and_its_quote_are_cut() =>
        QuotedHistory.StripText("""
            Thanks, that works for me.

            On Mon, Mar 2, 2026 at 10:00 AM Acme Support <
            support@acme.example> wrote:

            > Your refund is on its way.
            > Acme
            """).ShouldBe("Thanks, that works for me.");

    [Fact]
    public void Outlook_original_message_block_is_cut() =>
        QuotedHistory.StripText("""
            Yes please go ahead.

            -----Original Message-----
            From: Acme Support <support@acme.example>
            Sent: Monday, March 2, 2026 10:00 AM
            To: Jane <jane@customer.example>
            Subject: Refund for order 1042

            Your refund is on its way.
            """).ShouldBe("Yes please go ahead.");

    [Fact]
    public void Outlook_header_block_after_an_underscore_rule_is_cut() =>
        QuotedHistory.StripText("""
            I still have not received it.

            ________________________________
            From: Acme Support <support@acme.example>
            Sent: Monday, March 2, 2026 10:00
            Subject: Refund
            """).ShouldBe("I still have not received it.");

    [Fact]
    public void Outlook_header_block_without_a_separator_is_cut() =>
        QuotedHistory.StripText("""
            Agreed.

            From: Acme Support <support@acme.example>
            Date: Monday, 2 March 2026 at 10:00
            To: Jane
            Subject: Refund
            """).ShouldBe("Agreed.");

    [Fact]
    public void A_line_starting_with_From_in_the_customers_text_is_kept() =>
        QuotedHistory.StripText("""
            From: the shop in Lyon, not online.
            Can you check?
            """).ShouldBe("From: the shop in Lyon, not online.\nCan you check?");

    [Fact]
    public void German_reply_header_is_cut() =>
        QuotedHistory.StripText("""
            Danke!

            Am Mo., 2. März 2026 um 10:00 Uhr schrieb Acme Support <support@acme.example>:
            > Ihre Erstattung ist unterwegs.
            """).ShouldBe("Danke!");

    [Fact]
    public void Interleaved_quotes_are_dropped_and_the_answers_kept() =>
        QuotedHistory.StripText("""
            > Which order is it?
            Order 1042.
            > When did you buy it?
            Last Tuesday.
            """).ShouldBe("Order 1042.\nLast Tuesday.");

    [Fact]
    public void Signature_after_the_standard_delimiter_is_cut() =>
        QuotedHistory.StripText("Please call me.\n\n-- \nJane Doe\nACME Customer Ltd\n+44 20 7946 0000").ShouldBe("Please call me.");

    [Fact]
    public void Mobile_footer_is_cut() =>
        QuotedHistory.StripText("OK thanks\n\nSent from my iPhone").ShouldBe("OK thanks");

    [Fact]
    public void Windows_line_endings_are_handled() =>
        QuotedHistory.StripText("Fine.\r\n\r\nOn Mon, Mar 2, 2026, Acme wrote:\r\n> old").ShouldBe("Fine.");

    [Fact]
    public void A_message_that_would_be_all_history_is_kept_whole() =>
        QuotedHistory.StripText("> only a quote").ShouldBe("> only a quote");

    [Fact]
    public void Gmail_html_quote_is_removed()
    {
        var html = QuotedHistory.StripHtml("""<div dir="ltr">Thanks!</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon wrote:</div><blockquote>old</blockquote></div>""");

        html.ShouldContain("Thanks!");
        html.ShouldNotContain("old");
        html.ShouldNotContain("wrote");
    }

    [Fact]
    public void Apple_Mail_cited_blockquote_is_removed() =>
        QuotedHistory.StripHtml("""<div>New text</div><blockquote type="cite"><div>old text</div></blockquote>""").ShouldBe("<div>New text</div>");

    [Fact]
    public void Outlook_html_reply_header_and_everything_after_it_are_removed()
    {
        var html = QuotedHistory.StripHtml("""<div>Yes.</div><hr style="display:inline-block"><div id="divRplyFwdMsg"><b>From:</b> Acme</div><div>old message</div>""");

        html.ShouldBe("<div>Yes.</div>");
    }
}
