using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AwaitHuman.Connectors.SendGrid.Inbound;

/// <summary>
/// What SendGrid Inbound Parse posts (multipart/form-data): the fields from, to, cc, subject, text,
/// html, headers, envelope and charsets, and the files attachment1..N described by attachment-info.
/// Read section by section so that text fields are decoded with the charsets SendGrid names, and
/// files over the limits are counted but never held in memory.
/// </summary>
public sealed class InboundParseForm
{
    /// <summary>No text field of an email is anywhere near this; it bounds what one field can hold.</summary>
    private const int MaxFieldBytes = 8 * 1024 * 1024;

    static InboundParseForm()
    {
        // Emails still arrive in windows-125x and other code pages .NET does not load by default.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private readonly Dictionary<string, byte[]> fields = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> charsets = new(StringComparer.OrdinalIgnoreCase);

    public List<ReceivedFile> Files { get; } = [];

    /// <summary>A file part: its content when kept, or only its size when over a limit.</summary>
    public sealed record ReceivedFile(string FieldName, string FileName, string ContentType, long Size, byte[]? Content, string? RefusedBecause);

    public static async Task<InboundParseForm> ReadAsync(string? contentType, Stream body, long maxFileBytes, long maxTotalFileBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            throw new InvalidDataException("Inbound Parse posts multipart/form-data.");

        var form = new InboundParseForm();
        var reader = new MultipartReader(boundary, body);
        long keptFileBytes = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } name)
                continue;
            name = HeaderUtilities.RemoveQuotes(name).Value ?? name;
            if (disposition.IsFileDisposition())
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? name;
                var (content, size) = await ReadUpToAsync(section.Body, Math.Min(maxFileBytes, maxTotalFileBytes - keptFileBytes), cancellationToken);
                string? refused = null;
                if (content is null)
                    refused = size > maxFileBytes ? "file" : "total";
                else
                    keptFileBytes += size;
                form.Files.Add(new ReceivedFile(name, fileName, section.ContentType ?? "application/octet-stream", size, content, refused));
            }
            else
            {
                var (content, _) = await ReadUpToAsync(section.Body, MaxFieldBytes, cancellationToken);
                form.fields[name] = content ?? throw new InvalidDataException($"The field '{name}' is larger than {MaxFieldBytes} bytes.");
            }
        }
        form.charsets = form.ReadCharsets();
        return form;
    }

    /// <summary>A text field, decoded with the charset SendGrid reports for it (UTF-8 otherwise).</summary>
    public string? Field(string name)
    {
        if (!fields.TryGetValue(name, out var bytes))
            return null;
        return EncodingOf(charsets.GetValueOrDefault(name)).GetString(bytes);
    }

    /// <summary>attachment-info: per file field, the original file name and type.</summary>
    public (string? FileName, string? ContentType) AttachmentInfo(string fieldName)
    {
        var info = Field("attachment-info");
        if (string.IsNullOrWhiteSpace(info))
            return (null, null);
        try
        {
            using var json = JsonDocument.Parse(info);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty(fieldName, out var entry) || entry.ValueKind != JsonValueKind.Object)
                return (null, null);
            return (StringOf(entry, "filename") ?? StringOf(entry, "name"), StringOf(entry, "type"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>envelope.to: the SMTP recipients, which name the reply address even when the To header does not (Bcc, forwarding).</summary>
    public IReadOnlyList<string> EnvelopeRecipients()
    {
        var envelope = Field("envelope");
        if (string.IsNullOrWhiteSpace(envelope))
            return [];
        try
        {
            using var json = JsonDocument.Parse(envelope);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("to", out var to))
                return [];
            return to.ValueKind switch
            {
                JsonValueKind.Array => to.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList(),
                JsonValueKind.String => [to.GetString()!],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private Dictionary<string, string> ReadCharsets()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!fields.TryGetValue("charsets", out var bytes))
            return result;
        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                        result[property.Name] = property.Value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }
        return result;
    }

    private static Encoding EncodingOf(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
            return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(charset.Trim());
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private static string? StringOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The content when it is at most <paramref name="limit"/> bytes; otherwise null, with the whole size counted.</summary>
    private static async Task<(byte[]? Content, long Size)> ReadUpToAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            size += read;
            if (size <= limit)
                buffer.Write(chunk, 0, read);
        }
        return size <= limit ? (buffer.ToArray(), size) : (null, size);
    }
}
