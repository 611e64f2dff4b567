using AwaitHuman.Connectors.SendGrid.Inbound;

namespace AwaitHuman.Connectors.SendGrid.Tests.Inbound;

public sealed class EmailHtmlTests
{
    [Fact]
    public void Scripts_handlers_and_javascript_links_are_removed_and_formatting_kept()
    {
        var html = EmailHtml.ForDisplay("""
            <p onclick="steal()">Hello <b>there</b></p>
            <script>alert(document.cookie)</script>
            <a href="javascript:alert(1)">click</a>
            <a href="https://acme.example/order/1042">order</a>
            <iframe src="https://evil.example"></iframe>
            <img src="x" onerror="steal()">
            """)!;

        html.ShouldContain("<b>there</b>");
        html.ShouldContain("""href="https://acme.example/order/1042""");
        html.ShouldNotContain("script");
        html.ShouldNotContain("onclick");
        html.ShouldNotContain("onerror");
        html.ShouldNotContain("javascript:");
        html.ShouldNotContain("iframe");
    }

    [Fact]
    public void Nothing_left_is_no_html() =>
        EmailHtml.ForDisplay("<script>alert(1)</script>").ShouldBeNull();

    [Fact]
    public void Html_only_email_becomes_text_without_its_quote() =>
        QuotedHistory.StripText(EmailHtml.ToText("""<div>Line one<br>Line two</div><p>Para</p><div class="gmail_quote">old</div>"""))
            .ShouldBe("Line one\nLine two\nPara");

    [Fact]
    public void Nested_blocks_leave_at_most_one_empty_line() =>
        EmailHtml.ToText("<div><div><p>One</p></div></div><div><p>Two</p></div>").ShouldBe("One\n\nTwo");
}
