using System.Net;
using System.Text.Json;

namespace AwaitHuman.Server.Tests.Api;

public class ApiRootEndpointTests(ServerTestsHost host)
{
    readonly HttpClient _client = host.App.CreateHttpClient();

    [Fact]
    public async Task The_root_names_the_service_and_where_its_docs_are()
    {
        using var response = await _client.GetAsync("/v1", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        body.RootElement.GetProperty("name").GetString().ShouldBe("AwaitHuman");
        body.RootElement.GetProperty("version").GetString().ShouldNotBeNullOrWhiteSpace();
        body.RootElement.GetProperty("docs_url").GetString().ShouldBe("/docs");
        body.RootElement.GetProperty("open_api_url").GetString().ShouldBe("/openapi/v1.json");
    }

    [Fact]
    public async Task An_unknown_path_is_a_problem_details_404()
    {
        using var response = await _client.GetAsync("/v1/no-such-thing", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        body.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task A_wrong_method_is_a_problem_details_405()
    {
        using var response = await _client.PostAsync("/v1", new StringContent("{}"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
