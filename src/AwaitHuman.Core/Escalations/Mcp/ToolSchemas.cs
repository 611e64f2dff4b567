using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Core.Escalations.Opening;
using AwaitHuman.Core.Security;
using Microsoft.Extensions.AI;

namespace AwaitHuman.Core.Escalations.Mcp;

/// <summary>
/// The tools' JSON schemas, as strict clients (the TypeScript MCP SDK, the MCP Inspector) accept
/// them, and the check of arguments against them before a tool runs.
/// </summary>
public static class ToolSchemas
{
    /// <summary>
    /// A free-form JSON value (<see cref="JsonElement"/>) would be the boolean schema <c>true</c>, which
    /// strict clients refuse: metadata, resolution fields and action arguments are JSON objects; a
    /// trace's input and output may be any JSON value. A tool argument of its own (request_approval's
    /// arguments) gets a schema without a type: models sometimes send the object as JSON text, which
    /// the tool reads, and anything else is refused by the tool's validation beside the other fields.
    /// </summary>
    public static AIJsonSchemaCreateOptions CreateOptions { get; } = new()
    {
        TransformSchemaNode = (context, node) =>
        {
            if (context.TypeInfo.Type != typeof(JsonElement) && context.TypeInfo.Type != typeof(JsonElement?)) return node;
            var description = node is JsonObject schema && schema["description"] is { } text ? text.DeepClone() : null;
            JsonObject typed = context.PropertyInfo is not { } property
                ? new()
                : property.DeclaringType == typeof(ToolCall) || property.DeclaringType == typeof(ToolCallInput)
                    ? new() { ["type"] = new JsonArray("object", "array", "string", "number", "boolean", "null") }
                    : new() { ["type"] = new JsonArray("object", "null") };
            if (description is not null) typed["description"] = description;
            return typed;
        },
    };

    /// <summary>
    /// Every argument whose JSON type the schema does not allow, by its path in the same words as
    /// the other validation errors (<c>customer.email</c>, <c>transcript[1].content</c>), and every
    /// missing required one. A number must be finite: NaN and the infinities arrive as text and are refused.
    /// </summary>
    public static Problems.Errors Check(JsonElement schema, IDictionary<string, JsonElement>? arguments)
    {
        var errors = new Problems.Errors();
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray().Select(field => field.GetString()!))
                if (arguments is null || !arguments.ContainsKey(name)) errors.Check(name, "This argument is required.");
        if (arguments is null || !schema.TryGetProperty("properties", out var properties)) return errors;
        foreach (var (name, value) in arguments)
            if (properties.TryGetProperty(name, out var property)) CheckValue(property, value, name, errors);
        return errors;
    }

    static void CheckValue(JsonElement schema, JsonElement value, string path, Problems.Errors errors)
    {
        if (schema.ValueKind != JsonValueKind.Object) return;
        if (schema.TryGetProperty("type", out var type))
        {
            string[] allowed = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(kind => kind.GetString()!)] : [type.GetString()!];
            if (!allowed.Any(kind => Is(kind, value)))
            {
                errors.Check(path, $"Must be {Described(allowed)}.");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
            foreach (var member in value.EnumerateObject())
                if (properties.TryGetProperty(member.Name, out var property)) CheckValue(property, member.Value, $"{path}.{member.Name}", errors);
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray()) CheckValue(items, item, $"{path}[{index++}]", errors);
        }
    }

    static bool Is(string kind, JsonElement value) => kind switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        // JSON numbers are always finite; the text forms ("NaN", "Infinity") are strings and fail here.
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    static string Described(string[] kinds)
    {
        var named = kinds.Where(kind => kind != "null").Select(kind => kind switch
        {
            "integer" => "a whole number",
            "number" => "a number",
            "string" => "a string",
            "boolean" => "true or false",
            "object" => "a JSON object",
            "array" => "an array",
            _ => kind,
        }).ToArray();
        return named.Length == 0 ? "null" : string.Join(" or ", named) + (kinds.Contains("null") ? " (or left out)" : "");
    }
}
