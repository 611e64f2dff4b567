using System.Text.Json;
using System.Text.Json.Serialization;

namespace AwaitHuman.Client;

/// <summary>The JSON conventions of AwaitHuman's API: snake_case names, enums as snake_case strings, nulls left out.</summary>
public static class AwaitHumanJson
{
    /// <summary>
    /// Options that read and write the API's JSON. Use them to deserialize webhook payloads or to
    /// store escalations the way the API sends them. Read-only: copy them to change anything.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new TolerantEnumConverterFactory() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The name an enum value has on the wire, e.g. <c>waiting_for_human</c>.</summary>
    internal static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum =>
        TolerantEnumConverter<TEnum>.NameOf(value);
}
