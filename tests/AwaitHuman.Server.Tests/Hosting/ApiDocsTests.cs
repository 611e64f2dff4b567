using System.Net;
using System.Text.Json;

namespace AwaitHuman.Server.Tests.Hosting;

public class ApiDocsTests(ServerTestsHost host)
{
    readonly HttpClient _client = host.App.CreateHttpClient();

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API_in_snake_case()
    {
        using var response = await _client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = document.RootElement;
        root.GetProperty("openapi").GetString().ShouldStartWith("3.");
        root.GetProperty("info").GetProperty("title").GetString().ShouldBe("AwaitHuman API");
        var operation = root.GetProperty("paths").GetProperty("/v1").GetProperty("get");
        operation.GetProperty("operationId").GetString().ShouldBe("GetApiRoot");
        operation.GetProperty("tags")[0].GetString().ShouldBe("API");
        operation.GetProperty("summary").GetString().ShouldBe("Names the service, its build and where its documentation is");
        root.GetProperty("components").GetProperty("schemas").GetProperty("ApiRoot").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).ShouldBe(["name", "version", "docs_url", "open_api_url"], ignoreOrder: true);
    }

    [Fact]
    public async Task Every_list_operation_answers_the_one_envelope_and_takes_limit_and_cursor()
    {
        using var response = await _client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = document.RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        JsonElement Resolve(JsonElement schema) =>
            schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

        var lists = root.GetProperty("paths").EnumerateObject()
            .Where(path => path.Value.TryGetProperty("get", out var get) && get.GetProperty("operationId").GetString()!.StartsWith("List", StringComparison.Ordinal))
            .ToDictionary(path => path.Value.GetProperty("get").GetProperty("operationId").GetString()!, path => path.Value.GetProperty("get"));

        // At least these; a list added later is held to the same shape by the loop below.
        new[] {
            "ListEscalations", "ListMyNotifications", "ListSlaPolicies", "ListInvitations", "ListChannelConnections", "ListApiKeys",
            "ListRoutingRuleVersions", "ListWebhookEndpoints", "ListWebhookDeliveries", "ListMembers", "ListTeams",
            "ListPersonalAccessTokens", "ListOAuthClients", "ListAuditEntries", "ListSandboxEmails",
        }.ShouldBeSubsetOf(lists.Keys);
        foreach (var (operationId, operation) in lists)
        {
            var schema = Resolve(operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            var properties = schema.GetProperty("properties");
            properties.EnumerateObject().Select(p => p.Name).ShouldBe(["items", "next_cursor"], ignoreOrder: true, operationId);
            properties.GetProperty("items").GetProperty("type").ToString().ShouldContain("array", customMessage: operationId);
            properties.GetProperty("next_cursor").GetProperty("type").ToString().ShouldContain("string", customMessage: operationId);
            properties.GetProperty("next_cursor").GetProperty("type").ToString().ShouldContain("null", customMessage: operationId);
            operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("limit", operationId);
            operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("cursor", operationId);
        }
    }

    [Fact]
    public async Task The_docs_page_is_the_Scalar_reference_served_from_this_host()
    {
        using var response = await _client.GetAsync("/docs/", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.ShouldContain("AwaitHuman API");
        // Scalar resolves this against the app's base path, not the page: /openapi/v1.json.
        html.ShouldContain("\"url\":\"openapi/v1.json\"");

        // The script is served locally: the docs must work with no internet.
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        script.ShouldNotStartWith("http");
        using var scriptResponse = await _client.GetAsync(new Uri(new Uri(_client.BaseAddress!, "/docs/"), script), TestContext.Current.CancellationToken);
        scriptResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Docs_without_a_trailing_slash_redirect_to_the_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _client.BaseAddress };
        using var response = await client.GetAsync("/docs", TestContext.Current.CancellationToken);

        ((int)response.StatusCode).ShouldBeInRange(301, 308);
        new Uri(new Uri(client.BaseAddress!, "/docs"), response.Headers.Location!).AbsolutePath.ShouldBe("/docs/");
    }
}
