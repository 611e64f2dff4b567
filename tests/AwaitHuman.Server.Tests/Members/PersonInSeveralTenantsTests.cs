using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Members;

/// <summary>One person, two tenants, a different role in each: every credential acts in exactly one of them.</summary>
public sealed class PersonInSeveralTenantsTests(ServerTestsHost host)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_asks_which_tenant_and_each_session_and_token_acts_with_that_tenants_role()
    {
        var first = await host.App.NewTenantAsync();
        var second = await host.App.NewTenantAsync();
        var email = $"consultant-{Guid.NewGuid():N}@example.test";
        var inFirst = await host.App.NewMemberAsync(first, "supervisor", email);
        var inSecond = await host.App.NewMemberAsync(second, "operator", email);
        inSecond.PersonId.ShouldBe(inFirst.PersonId, "the same person");

        using var anonymous = host.App.CreateHttpClient();
        using var ambiguous = await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = TestTenants.Password }, Ct);
        ambiguous.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await ambiguous.Content.ReadAsStringAsync(Ct);
        problem.ShouldContain(first.Slug);
        problem.ShouldContain(second.Slug);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new(), AllowAutoRedirect = false }) { BaseAddress = host.App.Address };
        using var signedIn = await browser.PostAsJsonAsync("/v1/auth/login", new { email, password = TestTenants.Password, tenant = second.Slug }, Ct);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var me = JsonDocument.Parse(await browser.GetStringAsync("/v1/me", Ct)))
        {
            me.RootElement.GetProperty("tenant").GetString().ShouldBe(second.Slug);
            me.RootElement.GetProperty("role").GetString().ShouldBe("operator");
        }

        using var firstToken = host.App.CreateHttpClient(inFirst.Token);
        using (var me = JsonDocument.Parse(await firstToken.GetStringAsync("/v1/me", Ct)))
        {
            me.RootElement.GetProperty("tenant").GetString().ShouldBe(first.Slug);
            me.RootElement.GetProperty("role").GetString().ShouldBe("supervisor");
        }
        (await browser.GetAsync("/v1/members", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "an operator in the second tenant");
        (await firstToken.GetAsync("/v1/members", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "a supervisor in the first");
    }
}
