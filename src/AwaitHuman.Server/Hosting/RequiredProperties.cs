using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AwaitHuman.Server.Hosting;

/// <summary>
/// The OpenAPI document lists as required only what a request must carry: a property marked
/// <see cref="RequiredAttribute"/>, or one that can be neither null nor left to a default. The
/// generator lists every constructor parameter of a record, so generated clients demanded every
/// optional field (summary, confidence, customer...) of <c>OpenEscalation</c>.
/// </summary>
public static class RequiredProperties
{
    public static Task Transform(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null) return Task.CompletedTask;
        var required = context.JsonTypeInfo.Properties.Where(IsRequired).Select(property => property.Name).ToHashSet();
        schema.Required = required.Count == 0 ? null : required;
        return Task.CompletedTask;
    }

    static bool IsRequired(JsonPropertyInfo property)
    {
        if (Marked(property.AttributeProvider) || Marked(property.AssociatedParameter?.AttributeProvider)) return true;
        if (property.AssociatedParameter is { } parameter) return !parameter.HasDefaultValue && !parameter.IsNullable && !property.IsSetNullable;
        return property.IsRequired;
    }

    static bool Marked(System.Reflection.ICustomAttributeProvider? provider) =>
        provider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true;
}
