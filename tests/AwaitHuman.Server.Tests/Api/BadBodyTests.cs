using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Api;

/// <summary>A JSON <c>null</c> body, sent to every write endpoint the OpenAPI document lists.</summary>
public partial class BadBodyTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_null_body_is_a_400_problem_on_every_write_endpoint_never_a_500()
    {
        var tenant = await _app.NewTenantAsync();
        var owner = await _app.NewMemberAsync(tenant, "owner");
        using var anonymous = _app.CreateHttpClient();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);
        using var person = _app.CreateHttpClient(owner.Token);

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json", Ct));
        var answers = new List<string>();
        var refusedAsNull = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "post" or "put" or "patch"))
            {
                if (!operation.Value.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out _)) continue;
                var url = PathParameter().Replace(path.Name, _ => Guid.NewGuid().ToString());
                var endpoint = $"{operation.Name.ToUpperInvariant()} {path.Name}";

                // The first caller past authorization: anonymous for sign-in and sign-up, then the API key, then a person.
                HttpStatusCode status = default;
                string text = "";
                foreach (var caller in new[] { anonymous, agent, person })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url)
                    {
                        Content = new StringContent("null", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                    };
                    using var response = await caller.SendAsync(request, Ct);
                    status = response.StatusCode;
                    text = await response.Content.ReadAsStringAsync(Ct);
                    if (status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)) break;
                }

                answers.Add($"{endpoint}: {(int)status} {text}");
                if (status == HttpStatusCode.BadRequest && text.Contains("null")) refusedAsNull.Add(endpoint);
            }
        }

        answers.Count.ShouldBeGreaterThan(20);
        answers.Where(answer => !answer.Contains(": 400 ")).ShouldBeEmpty();
        refusedAsNull.ShouldContain("POST /v1/auth/login");
        refusedAsNull.ShouldContain("POST /v1/signup");
        refusedAsNull.ShouldContain("POST /v1/escalations");
        refusedAsNull.ShouldContain("POST /v1/escalations/{id}/resolve");
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();
}
