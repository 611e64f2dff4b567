using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class EscalationApiDocumentTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    [Fact]
    public async Task The_OpenAPI_document_describes_every_escalation_endpoint_with_examples()
    {
        using var client = _app.CreateHttpClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths");

        (string Path, string Method)[] expected =
        [
            ("/v1/escalations", "post"), ("/v1/escalations", "get"), ("/v1/escalations/{id}", "get"),
            ("/v1/escalations/{id}/messages", "post"), ("/v1/escalations/{id}/drafts", "post"), ("/v1/escalations/{id}/cancel", "post"),
            ("/v1/escalations/{id}/wait", "get"), ("/v1/escalations/wait", "get"), ("/v1/escalations/{id}/events", "get"),
            ("/v1/escalations/{id}/claim", "post"), ("/v1/escalations/{id}/release", "post"), ("/v1/escalations/{id}/reply", "post"),
            ("/v1/escalations/{id}/notes", "post"), ("/v1/escalations/{id}/drafts/{draftId}/approve", "post"),
            ("/v1/escalations/{id}/drafts/{draftId}/reject", "post"), ("/v1/escalations/{id}/decision", "post"),
            ("/v1/escalations/{id}/resolve", "post"), ("/v1/escalations/{id}/reopen", "post"),
        ];
        foreach (var (path, method) in expected)
        {
            paths.TryGetProperty(path, out var item).ShouldBeTrue($"{path} is documented");
            item.TryGetProperty(method, out var operation).ShouldBeTrue($"{method} {path} is documented");
            operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var open = schemas.GetProperty("OpenEscalation").GetProperty("examples")[0];
        open.GetProperty("kind").GetString().ShouldBe("handoff");
        open.GetProperty("transcript")[0].GetProperty("role").GetString().ShouldBe("customer");
        schemas.GetProperty("ResolveEscalation").GetProperty("examples")[0].GetProperty("resolution").GetProperty("instructions_for_agent").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Every_operation_that_honours_an_idempotency_key_names_the_header_and_no_other_does()
    {
        using var client = _app.CreateHttpClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));

        var withKey = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            if (!operation.Value.TryGetProperty("parameters", out var parameters)) continue;
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("name").GetString() == "Idempotency-Key"))
            {
                parameter.GetProperty("in").GetString().ShouldBe("header");
                parameter.GetProperty("schema").GetProperty("maxLength").GetInt32().ShouldBe(255);
                (parameter.GetProperty("description").GetString() ?? "").ShouldContain("422");
                withKey.Add($"{operation.Name} {path.Name}");
            }
        }

        withKey.ShouldBe(
        [
            "post /v1/escalations", "post /v1/escalations/{id}/claim", "post /v1/escalations/{id}/release", "post /v1/escalations/{id}/reply",
            "post /v1/escalations/{id}/notes", "post /v1/escalations/{id}/drafts/{draftId}/approve", "post /v1/escalations/{id}/drafts/{draftId}/reject",
            "post /v1/escalations/{id}/decision", "post /v1/escalations/{id}/resolve", "post /v1/escalations/{id}/reopen",
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task Only_what_a_request_must_carry_is_required_so_generated_clients_can_leave_out_the_rest()
    {
        using var client = _app.CreateHttpClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        Required(schemas.GetProperty("OpenEscalation")).ShouldBe(["kind", "reason"], ignoreOrder: true);
        Required(schemas.GetProperty("CustomerInput")).ShouldBeEmpty();
        // An answer's fields that are always there stay required.
        Required(schemas.GetProperty("OpenedEscalation")).ShouldContain("id");
        Required(schemas.GetProperty("OpenedEscalation")).ShouldContain("resume_token");

        // A minimal request an agent sends validates against the document: every required property is in it.
        string[] minimalOpen = ["kind", "reason"];
        Required(schemas.GetProperty("OpenEscalation")).ShouldBeSubsetOf(minimalOpen);

        // Across the document: a property that may be null is never also required.
        var nullableButRequired = new List<string>();
        foreach (var schema in schemas.EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("properties", out var properties)) continue;
            foreach (var name in Required(schema.Value))
                if (properties.TryGetProperty(name, out var property) && MayBeNull(property)) nullableButRequired.Add($"{schema.Name}.{name}");
        }
        nullableButRequired.ShouldBe(["OpenEscalation.kind", "OpenEscalation.reason"], ignoreOrder: true);
    }

    static string[] Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(name => name.GetString()!)] : [];

    static bool MayBeNull(JsonElement property) =>
        property.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(kind => kind.GetString() == "null")
        || property.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(option => option.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null");
}
