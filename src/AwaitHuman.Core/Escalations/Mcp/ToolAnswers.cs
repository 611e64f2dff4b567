using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AwaitHuman.Core.Security;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AwaitHuman.Core.Escalations.Mcp;

/// <summary>
/// Tool results: the answer as structured content plus the same JSON as text for clients that read
/// only text; refusals as tool errors (<c>isError</c>) in words a model can act on, never a stack trace.
/// </summary>
public static class ToolAnswers
{
    /// <summary>
    /// snake_case like the HTTP API, for tool arguments, results and schemas alike. Nulls are
    /// written (the SDK's defaults leave them out): the output schemas list every property as required.
    /// The text is read by models, not embedded in HTML, so quotes stay quotes rather than \u0027.
    /// </summary>
    public static JsonSerializerOptions Json { get; } = new(McpJsonUtilities.DefaultOptions)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static CallToolResult Success<T>(T answer)
    {
        var structured = JsonSerializer.SerializeToElement(answer, Json);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = structured.GetRawText() }],
            StructuredContent = structured,
        };
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>The same 404 as the API: another tenant's escalation is indistinguishable from none.</summary>
    public static CallToolResult NotFound(string? how = null) =>
        Error($"Not found: no escalation {how ?? "with that id"} exists here.");

    public static CallToolResult Invalid(string field, string message) => Invalid(new Problems.Errors().Check(field, message));

    /// <param name="renamed">Fields of the API's request that a tool names differently (<c>summary</c> is <c>context</c> in ask_human).</param>
    public static CallToolResult Invalid(Problems.Errors errors, IReadOnlyDictionary<string, string>? renamed = null)
    {
        var text = new StringBuilder("Invalid arguments; correct them and call again:");
        foreach (var (field, messages) in errors.Fields)
            foreach (var message in messages)
                text.Append("\n- ").Append(renamed?.GetValueOrDefault(field) ?? field).Append(": ").Append(message);
        return Error(text.ToString());
    }
}
