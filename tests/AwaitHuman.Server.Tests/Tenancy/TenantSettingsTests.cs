using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Tenancy;

/// <summary>The tenant's default time zone and locale, and what becomes of an old slug.</summary>
public sealed class TenantSettingsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task The_time_zone_and_locale_are_real_ones_stored_in_their_canonical_spelling_and_audited()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var before = await (await owner.GetAsync("/v1/tenant", Ct)).JsonAsync();
        before.GetProperty("time_zone").GetString().ShouldBe("UTC");
        before.GetProperty("locale").GetString().ShouldBe("en-US");

        using var changed = await owner.PatchAsJsonAsync("/v1/tenant", new { time_zone = "Europe/Berlin", locale = "de-de" }, Ct);

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync(Ct));
        var after = await changed.JsonAsync();
        after.GetProperty("time_zone").GetString().ShouldBe("Europe/Berlin");
        after.GetProperty("locale").GetString().ShouldBe("de-DE");
        (await owner.GetStringAsync("/v1/audit?action=tenant.defaults_changed", Ct)).ShouldContain("time zone Europe/Berlin, locale de-DE");
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", null, "time_zone")]
    [InlineData("W. Europe Standard Time", null, "time_zone")]
    [InlineData("", null, "time_zone")]
    [InlineData(null, "xx-YY", "locale")]
    [InlineData(null, "en_US", "locale")]
    [InlineData(null, "", "locale")]
    public async Task An_unknown_time_zone_or_locale_is_named_and_nothing_changes(string? timeZone, string? locale, string field)
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        await (await owner.PatchAsJsonAsync("/v1/tenant", new { name = "Changed too", time_zone = timeZone, locale }, Ct)).ShouldBeInvalidAsync(field);

        var info = await (await owner.GetAsync("/v1/tenant", Ct)).JsonAsync();
        info.GetProperty("name").GetString().ShouldNotBe("Changed too");
        info.GetProperty("time_zone").GetString().ShouldBe("UTC");
        info.GetProperty("locale").GetString().ShouldBe("en-US");
    }

    [Fact]
    public async Task An_old_slug_stays_the_tenant_s_for_signing_in_and_no_one_else_can_take_it()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        using var otherOwner = _app.CreateHttpClient(other.ApiKey);
        var newSlug = NewSlug("moved");

        var renamed = await (await owner.PatchAsJsonAsync("/v1/tenant", new { slug = newSlug }, Ct)).JsonAsync();
        renamed.GetProperty("former_slugs").EnumerateArray().Select(s => s.GetString()).ShouldBe([tenant.Slug]);

        // Signing in with the old slug reaches the tenant under its new one.
        using var signedIn = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword, tenant.Slug);
        (await (await signedIn.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("tenant").GetString().ShouldBe(newSlug);

        // Nobody else may take the old slug, by renaming or by signing up.
        (await (await otherOwner.PatchAsJsonAsync("/v1/tenant", new { slug = tenant.Slug }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict))
            .GetProperty("field").GetString().ShouldBe("slug");
        using var anonymous = _app.CreateHttpClient();
        (await (await anonymous.GetAsync($"/v1/signup/slug-availability?slug={tenant.Slug}", Ct)).JsonAsync()).GetProperty("available").GetBoolean().ShouldBeFalse();

        // The tenant itself may take it back.
        var back = await (await owner.PatchAsJsonAsync("/v1/tenant", new { slug = tenant.Slug }, Ct)).JsonAsync();
        back.GetProperty("slug").GetString().ShouldBe(tenant.Slug);
        back.GetProperty("former_slugs").EnumerateArray().Select(s => s.GetString()).ShouldBe([newSlug]);
    }
}
