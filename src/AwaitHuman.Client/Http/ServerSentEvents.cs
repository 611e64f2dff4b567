using System.Globalization;
using System.Text.Json;

namespace AwaitHuman.Client;

/// <summary>Reads Server-Sent Events messages off a stream; a dropped connection reads as the end.</summary>
sealed class ServerSentEvents(TextReader reader)
{
    public sealed record Message(string? Id, string? Event, string? Data, TimeSpan? Retry)
    {
        public JsonElement ParseData()
        {
            if (string.IsNullOrEmpty(Data)) return JsonSerializer.SerializeToElement(new { });
            try
            {
                using var document = JsonDocument.Parse(Data);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return JsonSerializer.SerializeToElement(new { text = Data });
            }
        }
    }

    public async Task<Message?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = null, data = null;
        TimeSpan? retry = null;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null; // the connection dropped: the caller reconnects after the last event seen
            }
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (id is null && type is null && data is null && retry is null) continue;
                return new Message(id, type, data, retry);
            }
            if (line.StartsWith(':')) continue; // a comment: the server's keep-alive

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
                case "retry" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds):
                    retry = TimeSpan.FromMilliseconds(milliseconds);
                    break;
            }
        }
    }
}
