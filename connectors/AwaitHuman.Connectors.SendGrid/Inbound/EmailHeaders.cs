namespace AwaitHuman.Connectors.SendGrid.Inbound;

/// <summary>The raw header block Inbound Parse posts in <c>headers</c>, unfolded (RFC 5322 §2.2.3).</summary>
public sealed class EmailHeaders
{
    private readonly Dictionary<string, string> first = new(StringComparer.OrdinalIgnoreCase);

    public static EmailHeaders Parse(string? block)
    {
        var headers = new EmailHeaders();
        if (string.IsNullOrEmpty(block))
            return headers;
        string? name = null;
        var value = "";
        foreach (var line in block.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (name is not null)
                    value += " " + line.Trim();
                continue;
            }
            headers.Keep(name, value);
            var colon = line.IndexOf(':');
            (name, value) = colon > 0 ? (line[..colon].Trim(), line[(colon + 1)..].Trim()) : (null, "");
        }
        headers.Keep(name, value);
        return headers;
    }

    /// <summary>The first occurrence: the one the sender's client wrote, above any a relay added.</summary>
    public string? this[string name] => first.GetValueOrDefault(name);

    private void Keep(string? name, string value)
    {
        if (name is not null)
            first.TryAdd(name, value);
    }
}
