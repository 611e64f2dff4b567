using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Audit;

/// <summary>The audit trail's filters (actor, action, period) on the list and on the CSV export, which downloads the same filtered entries.</summary>
public sealed class AuditFilterTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement[]> EntriesAsync(HttpClient caller, string query)
    {
        using var response = await caller.GetAsync($"/v1/audit?limit=100&{query}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    static string Action(JsonElement entry) => entry.GetProperty("action").GetString()!;

    static string Subject(JsonElement entry) => entry.GetProperty("subject").GetString()!;

    static string At(DateTimeOffset moment) => Uri.EscapeDataString(moment.ToString("O"));

    /// <summary>The owner's key creates one key; an admin creates two and revokes one.</summary>
    async Task<(TestTenantAccount Tenant, TestMember Admin, HttpClient Owner)> TenantWithKeyChangesAsync()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var owner = _app.CreateHttpClient(tenant.ApiKey);
        (await owner.PostAsJsonAsync("/v1/api-keys", new { name = "by the owner's key", scopes = new[] { "escalations:read" } }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var asAdmin = _app.CreateHttpClient(admin.Token);
        (await asAdmin.PostAsJsonAsync("/v1/api-keys", new { name = "by the admin one", scopes = new[] { "escalations:read" } }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var second = await asAdmin.PostAsJsonAsync("/v1/api-keys", new { name = "by the admin two", scopes = new[] { "escalations:read" } }, Ct);
        var id = (await second.JsonAsync()).GetProperty("id").GetString();
        (await asAdmin.DeleteAsync($"/v1/api-keys/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return (tenant, admin, owner);
    }

    [Fact]
    public async Task The_actor_filter_matches_part_of_the_name_or_the_whole_id_in_any_case()
    {
        var (_, admin, owner) = await TenantWithKeyChangesAsync();
        using var _ = owner;

        var byAdmin = await EntriesAsync(owner, $"actor={Uri.EscapeDataString(admin.Email.ToUpperInvariant()[..12])}");
        byAdmin.Select(Action).ShouldBe(["api_key.revoked", "api_key.created", "api_key.created"]);
        byAdmin.ShouldAllBe(entry => entry.GetProperty("actor").GetProperty("name").GetString() == admin.Email);
        (await EntriesAsync(owner, $"actor={admin.PersonId}")).Length.ShouldBe(3);
        (await EntriesAsync(owner, "actor=default+key")).Select(Subject).ShouldHaveSingleItem().ShouldStartWith("by the owner's key");
        (await EntriesAsync(owner, "actor=nobody-here")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_action_filter_takes_an_action_or_its_group()
    {
        var (_, _, owner) = await TenantWithKeyChangesAsync();
        using var _ = owner;

        (await EntriesAsync(owner, "action=api_key.revoked")).Select(Action).ShouldBe(["api_key.revoked"]);
        var keys = await EntriesAsync(owner, "action=api_key");
        // The tenant's first key, made with the tenant, counts too.
        keys.Select(Action).ShouldBe(["api_key.revoked", "api_key.created", "api_key.created", "api_key.created", "api_key.created"]);
        (await EntriesAsync(owner, "action=api")).ShouldBeEmpty("a group is a whole word before the dot");
        (await EntriesAsync(owner, "action=api_key.created&actor=admin")).Length.ShouldBe(2);
    }

    [Fact]
    public async Task The_period_counts_from_its_start_up_to_its_end_and_pages_stay_within_the_filter()
    {
        var (_, admin, owner) = await TenantWithKeyChangesAsync();
        using var _ = owner;
        var all = await EntriesAsync(owner, "");
        var revokedAt = all.Single(entry => Action(entry) == "api_key.revoked").GetProperty("at").GetDateTimeOffset();

        (await EntriesAsync(owner, $"from={At(revokedAt)}")).Select(Action).ShouldBe(["api_key.revoked"]);
        (await EntriesAsync(owner, $"to={At(revokedAt)}")).ShouldNotContain(entry => Action(entry) == "api_key.revoked");
        (await EntriesAsync(owner, $"from={At(DateTimeOffset.UtcNow.AddHours(1))}")).ShouldBeEmpty();
        (await EntriesAsync(owner, $"to={At(DateTimeOffset.UtcNow.AddDays(-1))}")).ShouldBeEmpty();

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await owner.GetAsync($"/v1/audit?limit=1&actor={admin.PersonId}{(cursor is null ? "" : $"&cursor={cursor}")}", Ct)).JsonAsync();
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(Action));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        paged.ShouldBe(["api_key.revoked", "api_key.created", "api_key.created"]);
    }

    [Fact]
    public async Task Bad_filters_are_named()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var now = DateTimeOffset.UtcNow;

        await (await owner.GetAsync("/v1/audit?action=Drop%20table", Ct)).ShouldBeInvalidAsync("action");
        await (await owner.GetAsync($"/v1/audit?from={At(now)}&to={At(now.AddDays(-1))}", Ct)).ShouldBeInvalidAsync("to");
        await (await owner.GetAsync($"/v1/audit?actor={new string('a', 201)}", Ct)).ShouldBeInvalidAsync("actor");
        (await owner.GetAsync("/v1/audit?from=yesterday", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await (await owner.GetAsync("/v1/audit/export?action=Drop%20table", Ct)).ShouldBeInvalidAsync("action");
    }

    [Fact]
    public async Task The_export_is_the_filtered_trail_as_escaped_csv()
    {
        var (tenant, admin, owner) = await TenantWithKeyChangesAsync();
        using var _ = owner;
        (await owner.PostAsJsonAsync("/v1/api-keys", new { name = "=HYPERLINK(\"http://evil\"), \"quoted\"", scopes = new[] { "escalations:read" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        using var response = await owner.GetAsync("/v1/audit/export?action=api_key.created", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldStartWith($"audit-{tenant.Slug}-");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, "a byte order mark, so spreadsheets read UTF-8");
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("sequence,at,action,subject,actor_kind,actor_id,actor_name,source_ip");
        var rows = lines.Skip(1).ToArray();
        rows.Length.ShouldBe(5, "the four keys made here and the tenant's first one, nothing else");
        rows.ShouldAllBe(row => row.Contains(",api_key.created,"));
        // A quote is doubled inside a quoted field, and a cell a spreadsheet would run as a formula is escaped.
        rows[0].ShouldContain("\"'=HYPERLINK(\"\"http://evil\"\"), \"\"quoted\"\"");
        rows.Count(row => row.Contains(admin.Email)).ShouldBe(2);

        using var filtered = await owner.GetAsync($"/v1/audit/export?actor={admin.PersonId}", Ct);
        (await filtered.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1 + 3);
    }

    [Fact]
    public async Task The_export_is_refused_to_operators_and_never_holds_another_tenant_s_entries()
    {
        var (first, _, owner) = await TenantWithKeyChangesAsync();
        using var _ = owner;
        var second = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(second, "operator");
        using var operatorClient = _app.CreateHttpClient(member.Token);
        using var secondOwner = _app.CreateHttpClient(second.ApiKey);

        (await (await operatorClient.GetAsync("/v1/audit/export", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString()!.ShouldContain("audit:read");
        var csv = await (await secondOwner.GetAsync("/v1/audit/export", Ct)).Content.ReadAsStringAsync(Ct);
        csv.ShouldNotContain("by the owner's key");
        csv.ShouldNotContain("by the admin");
        csv.ShouldNotContain(first.Slug);
        csv.ShouldContain(second.Slug);
    }
}
