using System.Text.RegularExpressions;

namespace AwaitHuman.Connectors.SendGrid;

/// <summary>
/// Email threading (RFC 5322 §3.6.4). Message-IDs are kept bare (<c>id@domain</c>, no angle
/// brackets) as provider message ids, in both directions, and bracketed only in headers.
/// </summary>
public static partial class EmailThreading
{
    /// <summary>References keeps the first id (the thread's root) and the latest ones, as RFC 5322 suggests for long threads.</summary>
    public const int MaxReferences = 20;

    /// <summary>Our Message-ID for one outbound message: stable across retries of the same send.</summary>
    public static string MessageIdFor(Guid messageId, string domain) => $"{messageId:D}@{domain.ToLowerInvariant()}";

    public static string Bracketed(string messageId) => $"<{messageId}>";

    /// <summary>The bare ids in a Message-ID, In-Reply-To or References header value.</summary>
    public static IReadOnlyList<string> IdsIn(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
            return [];
        var bracketed = BracketedId().Matches(headerValue).Select(m => m.Groups[1].Value.Trim()).Where(IsMessageId).ToList();
        if (bracketed.Count > 0)
            return bracketed;
        // Some senders omit the brackets.
        return headerValue.Split([' ', '\t', ',', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(IsMessageId).ToList();
    }

    /// <summary>In-Reply-To (the latest email id) and References (the chain) for a reply after <paramref name="earlierIds"/>.</summary>
    public static (string? InReplyTo, string? References) HeadersFor(IReadOnlyList<string> earlierIds)
    {
        // The thread can hold ids of other kinds (a provider's own ids); only Message-IDs thread email.
        var ids = earlierIds.Select(Unbracket).Where(IsMessageId).Distinct().ToList();
        if (ids.Count == 0)
            return (null, null);
        var kept = ids.Count <= MaxReferences ? ids : [ids[0], .. ids[^(MaxReferences - 1)..]];
        return (Bracketed(ids[^1]), string.Join(' ', kept.Select(Bracketed)));
    }

    /// <summary>"Re: subject" for a reply in a thread, the subject itself for the first email.</summary>
    public static string SubjectFor(string? subject, bool isReply, string fallback)
    {
        var text = string.IsNullOrWhiteSpace(subject) ? fallback : subject.Trim();
        if (!isReply || ReplyPrefix().IsMatch(text))
            return text;
        return $"Re: {text}";
    }

    private static string Unbracket(string id) => id.Trim().TrimStart('<').TrimEnd('>');

    private static bool IsMessageId(string id) => id.Length is > 2 and < 1000 && id.IndexOf('@') > 0 && !id.Any(char.IsWhiteSpace);

    [GeneratedRegex(@"<([^<>]+)>")]
    private static partial Regex BracketedId();

    [GeneratedRegex(@"^(re|aw|sv|antw)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyPrefix();
}
