using System.Net;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Admin;

/// <summary>The admin verbs run as their own process against the shared test database, as an operator of the platform runs them.</summary>
public sealed class AdminCommandLineTests(ServerTestsHost host)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_tenant_prints_its_id_slug_and_a_working_api_key_with_every_scope()
    {
        var slug = NewSlug();
        var created = await AdminAsync("create-tenant", "--name", "Cli Company", "--slug", slug, "--owner-email", $"boss@{slug}.test", "--owner-password", TestTenants.Password);

        created.ExitCode.ShouldBe(0, created.Output);
        using var printed = JsonDocument.Parse(created.Json!);
        printed.RootElement.GetProperty("slug").GetString().ShouldBe(slug);
        Guid.TryParse(printed.RootElement.GetProperty("tenant_id").GetString(), out _).ShouldBeTrue();
        var key = printed.RootElement.GetProperty("api_key").GetString()!;
        key.ShouldStartWith("ah_live_");

        using var me = JsonDocument.Parse(await host.App.CreateHttpClient(key).GetStringAsync("/v1/me", Ct));
        me.RootElement.GetProperty("tenant").GetString().ShouldBe(slug);
        me.RootElement.GetProperty("scopes").GetArrayLength().ShouldBe(AwaitHuman.Core.Security.Scopes.All.Count);
    }

    [Fact]
    public async Task Create_user_adds_a_person_with_a_role_and_prints_a_token_that_acts_as_them()
    {
        var tenant = await host.App.NewTenantAsync();
        var email = $"ops@{tenant.Slug}.test";

        var created = await AdminAsync("create-user", "--tenant", tenant.Slug, "--email", email, "--role", "operator", "--password", TestTenants.Password, "--token");

        created.ExitCode.ShouldBe(0, created.Output);
        using var printed = JsonDocument.Parse(created.Json!);
        var token = printed.RootElement.GetProperty("token").GetString()!;
        token.ShouldStartWith("ahp_");
        using var me = JsonDocument.Parse(await host.App.CreateHttpClient(token).GetStringAsync("/v1/me", Ct));
        me.RootElement.GetProperty("role").GetString().ShouldBe("operator");
        me.RootElement.GetProperty("person_id").GetString().ShouldBe(printed.RootElement.GetProperty("user_id").GetString());
        me.RootElement.GetProperty("credential").GetProperty("type").GetString().ShouldBe("personal_access_token");

        var withoutToken = await AdminAsync("create-user", "--tenant", tenant.Slug, "--email", $"sup@{tenant.Slug}.test", "--role", "supervisor", "--password", TestTenants.Password);
        withoutToken.ExitCode.ShouldBe(0, withoutToken.Output);
        JsonDocument.Parse(withoutToken.Json!).RootElement.GetProperty("token").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Bad_input_fails_with_the_flag_named_and_creates_nothing()
    {
        var slug = NewSlug();
        var badTenant = await AdminAsync("create-tenant", "--name", "X", "--slug", "Not A Slug", "--owner-email", "nope", "--owner-password", "short");
        badTenant.ExitCode.ShouldNotBe(0);
        badTenant.Json.ShouldBeNull();
        badTenant.Output.ShouldContain("--slug");
        badTenant.Output.ShouldContain("--email");
        badTenant.Output.ShouldContain("--password");

        var unknownTenant = await AdminAsync("create-user", "--tenant", slug, "--email", $"x@{slug}.test", "--role", "operator", "--password", TestTenants.Password);
        unknownTenant.ExitCode.ShouldNotBe(0);
        unknownTenant.Output.ShouldContain("--tenant");

        var tenant = await host.App.NewTenantAsync();
        var badRole = await AdminAsync("create-user", "--tenant", tenant.Slug, "--email", $"x@{tenant.Slug}.test", "--role", "king", "--password", TestTenants.Password);
        badRole.ExitCode.ShouldNotBe(0);
        badRole.Output.ShouldContain("--role");
        (await Sql.ScalarAsync<long>(TestPostgres.ConnectionString, $"select count(*) from accounts.people where \"NormalizedEmail\" = upper('x@{tenant.Slug}.test')")).ShouldBe(0L);
    }

    [Fact]
    public async Task A_suspended_tenant_is_refused_at_once_and_works_again_when_reactivated()
    {
        var tenant = await host.App.NewTenantAsync();
        using var client = host.App.CreateHttpClient(tenant.ApiKey);

        var suspended = await AdminAsync("suspend-tenant", "--slug", tenant.Slug, "--reason", "unpaid invoices");
        suspended.ExitCode.ShouldBe(0, suspended.Output);
        using (var refused = await client.GetAsync("/v1/me", Ct))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("suspended");
        }

        (await AdminAsync("reactivate-tenant", "--slug", tenant.Slug)).ExitCode.ShouldBe(0);
        (await client.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var audit = await client.GetStringAsync("/v1/audit", Ct);
        audit.ShouldContain("tenant.suspended");
        audit.ShouldContain("unpaid invoices");
        audit.ShouldContain("tenant.reactivated");
    }

    static string NewSlug() => $"cli-{Guid.NewGuid():N}"[..24];

    /// <summary>Runs a verb; <c>Json</c> is what it printed on standard output, which must be nothing or one JSON line.</summary>
    static async Task<(int ExitCode, string Output, string? Json)> AdminAsync(params string[] arguments)
    {
        var (exitCode, output, standardOutput) = await ServerProcess.RunCommandAsync(RepositoryLayout.ServerAssembly, arguments, new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = TestPostgres.ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, Path.GetDirectoryName(RepositoryLayout.ServerAssembly)!, Ct);
        var lines = standardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBeLessThanOrEqualTo(1, $"standard output is the result alone:\n{standardOutput}");
        return (exitCode, output, lines.SingleOrDefault());
    }
}
