namespace AwaitHuman.Connectors;

/// <summary>
/// How an SMS text is split for the handset (3GPP TS 23.038 and 23.040): GSM-7 when every
/// character is in the default alphabet or its extension table (extension characters take two
/// septets), otherwise UCS-2. One message holds 160 septets or 70 UCS-2 units; a concatenated
/// message loses room to its header and holds 153 or 67 per segment. An escape pair or a
/// surrogate pair is never split across segments, as handsets and carriers do not split them.
/// Twilio's optional Smart Encoding (replacing curly quotes and the like) is not modelled.
/// </summary>
public static class SmsSegments
{
    public const string Gsm7 = "GSM-7";
    public const string Ucs2 = "UCS-2";

    // The GSM 03.38 default alphabet, without the escape code itself.
    const string BasicAlphabet =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Reached through the escape code: two septets each.
    const string ExtensionTable = "\f^{}\\[~]|€";

    static readonly HashSet<char> Basic = [.. BasicAlphabet];
    static readonly HashSet<char> Extension = [.. ExtensionTable];

    public static TextMeasure Measure(string text)
    {
        var gsm = text.All(c => Basic.Contains(c) || Extension.Contains(c));
        return gsm
            ? new TextMeasure(text.Length, Count(text, single: 160, perSegment: 153, UnitsOfGsm), Gsm7)
            : new TextMeasure(text.Length, Count(text, single: 70, perSegment: 67, UnitsOfUcs2), Ucs2);
    }

    /// <summary>Septets a GSM-7 character takes, and the length of the character in the string (always 1).</summary>
    static (int Units, int Length) UnitsOfGsm(string text, int index) => (Extension.Contains(text[index]) ? 2 : 1, 1);

    /// <summary>UCS-2 units a character takes: 2 for a surrogate pair (an emoji), kept together.</summary>
    static (int Units, int Length) UnitsOfUcs2(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? (2, 2) : (1, 1);

    static int Count(string text, int single, int perSegment, Func<string, int, (int Units, int Length)> unitsAt)
    {
        var total = 0;
        for (var i = 0; i < text.Length;)
        {
            var (units, length) = unitsAt(text, i);
            total += units;
            i += length;
        }
        if (total <= single)
            return 1;

        // Fill segments one character at a time, so a pair that does not fit starts the next segment.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length;)
        {
            var (units, length) = unitsAt(text, i);
            if (used + units > perSegment)
            {
                segments++;
                used = 0;
            }
            used += units;
            i += length;
        }
        return segments;
    }
}
