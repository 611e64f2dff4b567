using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AwaitHuman.Connectors.SendGrid.Inbound;

/// <summary>
/// Removes what a customer's email repeats of earlier messages, so the escalation shows only what
/// they wrote. Hand-written (no maintained .NET reply parser is in the registry), after the rules of
/// GitHub's email_reply_parser: the text is cut at the first reply header ("On ... wrote:" and its
/// German, French, Spanish, Dutch and Italian forms, which Gmail may wrap over lines), at Outlook's
/// "-----Original Message-----", an underscore rule or a From:/Sent:/To:/Subject: block; lines quoted
/// with "&gt;" are dropped; a signature from the "-- " delimiter and "Sent from my ..." footers go too.
/// </summary>
public static partial class QuotedHistory
{
    /// <summary>The customer's own text, or the whole text when nothing of it would remain.</summary>
    public static string StripText(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var end = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            if (StartsHistory(lines, i))
            {
                end = i;
                break;
            }
        }

        var kept = new List<string>();
        for (var i = 0; i < end; i++)
        {
            var line = lines[i];
            if (IsSignatureDelimiter(line))
                break;
            if (line.TrimStart().StartsWith('>'))
                continue;
            kept.Add(line.TrimEnd());
        }
        DropMobileFooter(kept);

        var result = string.Join('\n', kept).Trim('\n', ' ', '\t');
        return result.Length > 0 ? result : text.Trim();
    }

    /// <summary>Removes the quoting containers mail clients wrap earlier messages in (Gmail, Apple Mail, Thunderbird, Outlook, Yahoo).</summary>
    public static string StripHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var quote in document.QuerySelectorAll(".gmail_quote, .gmail_quote_container, blockquote[type=cite], .moz-cite-prefix, .yahoo_quoted, #mail-editor-reference-message-container").ToList())
            quote.Remove();
        // Outlook: everything from its reply header on is the earlier conversation.
        foreach (var marker in document.QuerySelectorAll("#divRplyFwdMsg, #appendonsend").ToList())
        {
            if (marker.Parent is null)
                continue;
            var previous = marker.PreviousElementSibling;
            if (previous?.LocalName == "hr")
                previous.Remove();
            for (var node = marker.NextSibling; node is not null;)
            {
                var next = node.NextSibling;
                node.RemoveFromParent();
                node = next;
            }
            marker.Remove();
        }
        return document.Body?.InnerHtml ?? "";
    }

    private static bool StartsHistory(string[] lines, int i)
    {
        var line = lines[i].Trim();
        if (OriginalMessage().IsMatch(line) || UnderscoreRule().IsMatch(line))
            return true;
        if (OutlookFrom().IsMatch(line) && HasHeaderBlock(lines, i))
            return true;
        // Reply headers, possibly wrapped over up to three lines by the sender's client.
        if (!ReplyHeaderStart().IsMatch(line))
            return false;
        var joined = line;
        for (var k = i; k < Math.Min(lines.Length, i + 3); k++)
        {
            if (k > i)
                joined += " " + lines[k].Trim();
            if (ReplyHeaderEnd().IsMatch(joined))
                return true;
        }
        return false;
    }

    /// <summary>From: followed by the other fields of a quoted header within a few lines.</summary>
    private static bool HasHeaderBlock(string[] lines, int from)
    {
        for (var k = from + 1; k < Math.Min(lines.Length, from + 5); k++)
        {
            if (OutlookField().IsMatch(lines[k].Trim()))
                return true;
        }
        return false;
    }

    private static bool IsSignatureDelimiter(string line) => line is "-- " or "--" or "—";

    private static void DropMobileFooter(List<string> kept)
    {
        var last = kept.FindLastIndex(l => l.Trim().Length > 0);
        if (last >= 0 && MobileFooter().IsMatch(kept[last].Trim()))
            kept.RemoveRange(last, kept.Count - last);
    }

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Oorspronkelijk bericht|Messaggio originale)\s*-{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^_{20,}$")]
    private static partial Regex UnderscoreRule();

    [GeneratedRegex(@"^\*?(From|Von|De|Van|Da)\s?:\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"^\*?(Sent|Date|To|Subject|Gesendet|Datum|An|Betreff|Envoyé|À|Objet|Enviado|Para|Asunto|Verzonden|Aan|Onderwerp|Inviato|Oggetto)\s?:", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookField();

    [GeneratedRegex(@"^(On|Am|Le|El|Op|Il)\s", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyHeaderStart();

    [GeneratedRegex(@"(wrote|schrieb\b.*|a écrit|escribió|schreef\b.*|geschreven|ha scritto)\s*:$", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyHeaderEnd();

    [GeneratedRegex(@"^(Sent from my \S.*|Sent from (Mail|Outlook) for \S.*|Get Outlook for \S.*|Von meinem \S.* gesendet)$", RegexOptions.IgnoreCase)]
    private static partial Regex MobileFooter();
}
