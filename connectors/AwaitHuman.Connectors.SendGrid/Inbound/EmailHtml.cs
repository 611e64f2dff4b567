using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace AwaitHuman.Connectors.SendGrid.Inbound;

/// <summary>A customer's HTML made safe to show in the console: quoted history removed, then HtmlSanitizer's allow-list (no scripts, handlers, forms or javascript: URLs).</summary>
public static class EmailHtml
{
    /// <summary>Configured once; Sanitize is safe to call concurrently.</summary>
    private static readonly HtmlSanitizer Sanitizer = new();

    public static string? ForDisplay(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
            return null;
        var sanitized = Sanitizer.Sanitize(QuotedHistory.StripHtml(html)).Trim();
        return sanitized.Length > 0 ? sanitized : null;
    }

    /// <summary>The text of an HTML-only email, line breaks kept roughly where the reader sees them.</summary>
    public static string ToText(string html)
    {
        var document = new HtmlParser().ParseDocument(QuotedHistory.StripHtml(html));
        foreach (var br in document.QuerySelectorAll("br").ToList())
            br.Replace(document.CreateTextNode("\n"));
        foreach (var block in document.QuerySelectorAll("p, div, li, tr, h1, h2, h3, h4, h5, h6").ToList())
            block.Append(document.CreateTextNode("\n"));
        foreach (var script in document.QuerySelectorAll("script, style, head").ToList())
            script.Remove();
        var lines = (document.Body?.TextContent ?? "").Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).ToList();
        // Nested blocks leave runs of empty lines: keep at most one between paragraphs.
        var kept = lines.Where((line, i) => line.Length > 0 || i == 0 || lines[i - 1].Length > 0);
        return string.Join('\n', kept).Trim();
    }
}
