using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Security;

/// <summary>Requests count against their credential and their tenant; signup against the client's address.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    AwaitHumanApp _app = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rate_limits");
        _app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["RateLimits:PerCredentialPerMinute"] = "4",
            ["RateLimits:PerTenantPerMinute"] = "6",
            ["RateLimits:SignupPerAddressPerHour"] = "2",
            ["RateLimits:AnonymousPerAddressPerMinute"] = "3",
        });
    }

    [Fact]
    public async Task A_credential_past_its_limit_gets_429_with_retry_after_and_its_tenant_is_capped_across_credentials()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var created = await owner.PostAsJsonAsync("/v1/api-keys", new { name = "second", scopes = new[] { "escalations:read" } }, Ct);
        using var second = _app.CreateHttpClient(JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("key").GetString()!);

        for (var i = 0; i < 3; i++) (await owner.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var limited = await owner.GetAsync("/v1/me", Ct);
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
        limited.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        // Tenant: 4 used by the owner key (the POST and three GETs); the second key gets the last 2.
        (await second.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        var other = await _app.NewTenantAsync();
        using var otherTenant = _app.CreateHttpClient(other.ApiKey);
        (await otherTenant.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "another tenant has its own budget");
    }

    [Fact]
    public async Task Signup_is_limited_per_client_address()
    {
        using var anonymous = _app.CreateHttpClient();
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await anonymous.PostAsJsonAsync("/v1/signup", new { name = "Limited", slug = $"limited-{Guid.NewGuid():N}"[..20], email = $"o{i}-{Guid.NewGuid():N}@limited.test", password = TestTenants.Password }, Ct);
            allowed.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var refused = await anonymous.PostAsJsonAsync("/v1/signup", new { name = "Limited", slug = "limited-third", email = "third@limited.test", password = TestTenants.Password }, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task Health_probes_are_never_limited_and_do_not_use_up_the_anonymous_budget()
    {
        using var balancer = _app.CreateHttpClient();
        for (var i = 0; i < 10; i++)
        {
            (await balancer.GetAsync("/health/live", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, $"live probe {i + 1}");
            (await balancer.GetAsync("/health/ready", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, $"ready probe {i + 1}");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
