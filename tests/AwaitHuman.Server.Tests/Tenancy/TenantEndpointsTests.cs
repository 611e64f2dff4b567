using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Tenancy;

public sealed class TenantEndpointsTests(ServerTestsHost host)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_owner_renames_the_tenant_and_changes_its_slug_while_its_credentials_keep_working()
    {
        var tenant = await host.App.NewTenantAsync();
        using var owner = host.App.CreateHttpClient(tenant.ApiKey);
        var newSlug = $"renamed-{Guid.NewGuid():N}"[..24];

        using var renamed = await owner.PatchAsJsonAsync("/v1/tenant", new { name = "Renamed Inc", slug = newSlug }, Ct);

        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await renamed.Content.ReadAsStringAsync(Ct));
        body.RootElement.GetProperty("slug").GetString().ShouldBe(newSlug);
        body.RootElement.GetProperty("name").GetString().ShouldBe("Renamed Inc");
        using var me = JsonDocument.Parse(await owner.GetStringAsync("/v1/me", Ct));
        me.RootElement.GetProperty("tenant").GetString().ShouldBe(newSlug, "the internal id did not change, so the key still belongs here");
        (await owner.GetStringAsync("/v1/audit", Ct)).ShouldContain("tenant.renamed");
    }

    [Fact]
    public async Task A_taken_slug_is_a_conflict_and_bad_fields_are_named()
    {
        var tenant = await host.App.NewTenantAsync();
        var other = await host.App.NewTenantAsync();
        using var owner = host.App.CreateHttpClient(tenant.ApiKey);

        using var taken = await owner.PatchAsJsonAsync("/v1/tenant", new { slug = other.Slug }, Ct);
        taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await taken.Content.ReadAsStringAsync(Ct)).ShouldContain("\"field\":\"slug\"");

        using var bad = await owner.PatchAsJsonAsync("/v1/tenant", new { name = "x", slug = "Bad Slug" }, Ct);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Ct));
        problem.RootElement.GetProperty("errors").TryGetProperty("slug", out _).ShouldBeTrue();
        problem.RootElement.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();

        using var info = JsonDocument.Parse(await owner.GetStringAsync("/v1/tenant", Ct));
        info.RootElement.GetProperty("slug").GetString().ShouldBe(tenant.Slug, "nothing changed");
    }

    [Fact]
    public async Task Admins_change_the_name_but_only_owners_the_slug_and_operators_nothing()
    {
        var tenant = await host.App.NewTenantAsync();
        var admin = await host.App.NewMemberAsync(tenant, "admin");
        var member = await host.App.NewMemberAsync(tenant, "operator");
        using var asAdmin = host.App.CreateHttpClient(admin.Token);
        using var asOperator = host.App.CreateHttpClient(member.Token);

        using (var renamed = await asAdmin.PatchAsJsonAsync("/v1/tenant", new { name = "Named by the admin" }, Ct))
            renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var slug = await (await asAdmin.PatchAsJsonAsync("/v1/tenant", new { slug = $"admins-{Guid.NewGuid():N}"[..20] }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        slug.GetProperty("detail").GetString()!.ShouldContain("tenant:manage");
        var refused = await (await asOperator.PatchAsJsonAsync("/v1/tenant", new { name = "Mine now" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString()!.ShouldContain("tenant:manage");

        using var info = JsonDocument.Parse(await asAdmin.GetStringAsync("/v1/tenant", Ct));
        info.RootElement.GetProperty("name").GetString().ShouldBe("Named by the admin");
        info.RootElement.GetProperty("slug").GetString().ShouldBe(tenant.Slug);
    }

    [Fact]
    public async Task Malformed_bodies_and_query_values_are_400_problems_that_point_at_the_value()
    {
        var tenant = await host.App.NewTenantAsync();
        using var owner = host.App.CreateHttpClient(tenant.ApiKey);

        using var wrongType = await owner.PostAsync("/v1/api-keys", new StringContent("""{"name": "x", "scopes": "escalations:read"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        wrongType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        wrongType.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await wrongType.Content.ReadAsStringAsync(Ct)).ShouldContain("$.scopes");

        using var badQuery = await owner.GetAsync("/v1/audit?limit=many", Ct);
        badQuery.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badQuery.Content.ReadAsStringAsync(Ct)).ShouldContain("limit");

        (await owner.GetStringAsync("/v1/api-keys", Ct)).ShouldNotContain("\"name\":\"x\"");
    }
}
