using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Audit;

public class AuditTrailTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement> PageAsync(HttpClient caller, string query = "")
    {
        using var response = await caller.GetAsync($"/v1/audit{query}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    static Task<JsonElement[]> EntriesAsync(HttpClient caller) => caller.ListAllAsync("/v1/audit");

    static string Action(JsonElement entry) => entry.GetProperty("action").GetString()!;

    /// <summary>What creating a tenant records: the tenant, its owner, its first key and its starter channels (sandbox and agent relay).</summary>
    static readonly string[] CreationActions =
        ["tenant.created", "tenant.activated", "member.added", "api_key.created", "channel_connection.created", "channel_connection.created"];

    static string? SourceIp(JsonElement entry) =>
        entry.GetProperty("actor").TryGetProperty("source_ip", out var ip) && ip.ValueKind == JsonValueKind.String ? ip.GetString() : null;

    static long Sequence(JsonElement entry) => entry.GetProperty("sequence").GetInt64();

    /// <summary>Creates and revokes a key, and invites (the person accepts), promotes and removes a member, all with <paramref name="caller"/>.</summary>
    async Task ChangeKeysAndMembersAsync(HttpClient caller, TestTenantAccount tenant)
    {
        using var created = await caller.PostAsJsonAsync("/v1/api-keys", new { name = "audited agent", scopes = new[] { "escalations:read" } }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var keyId = (await created.JsonAsync()).GetProperty("id").GetString();
        (await caller.DeleteAsync($"/v1/api-keys/{keyId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var memberId = await _app.InviteAndAcceptAsync(caller, $"audited-{Guid.NewGuid():N}@{tenant.Slug}.test", "operator", TestTenants.Password);
        (await caller.PatchAsJsonAsync($"/v1/members/{memberId}", new { role = "supervisor" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await caller.DeleteAsync($"/v1/members/{memberId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Key_and_member_changes_are_recorded_newest_first_with_who_made_them_and_from_where()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        var ownerKeyId = (await (await owner.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("credential").GetProperty("id").GetString();

        await ChangeKeysAndMembersAsync(owner, tenant);

        var entries = await EntriesAsync(owner);
        entries.Take(2).Select(Action).ShouldBe(["member.removed", "member.role_changed"]);
        // Accepting is one transaction, sequenced stream by stream.
        entries.Skip(2).Take(2).Select(Action).ShouldBe(["member.added", "member.invitation_accepted"], ignoreOrder: true);
        entries.Skip(4).Take(3).Select(Action).ShouldBe(["member.invited", "api_key.revoked", "api_key.created"]);
        entries.Select(Sequence).ShouldBeInOrder(SortDirection.Descending);
        entries.Select(Sequence).ShouldBeUnique();
        entries.Skip(2).Take(2).ShouldAllBe(entry => entry.GetProperty("actor").GetProperty("kind").GetString() == "person", "the invited person accepted");
        var byKey = entries.Take(7).Where(entry => entry.GetProperty("actor").GetProperty("kind").GetString() != "person").ToArray();
        byKey.Length.ShouldBe(5);
        foreach (var entry in byKey)
        {
            var actor = entry.GetProperty("actor");
            actor.GetProperty("kind").GetString().ShouldBe("api_key");
            actor.GetProperty("id").GetString().ShouldBe(ownerKeyId);
            actor.GetProperty("name").GetString().ShouldBe("Default key");
            actor.GetProperty("source_ip").GetString().ShouldBe("127.0.0.1");
            entry.GetProperty("at").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        }
        entries[1].GetProperty("subject").GetString().ShouldEndWith("from operator to supervisor");
        entries[6].GetProperty("subject").GetString().ShouldStartWith("audited agent");
    }

    [Fact]
    public async Task The_tenant_s_creation_is_recorded_as_the_platform_s_doing()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        var entries = await EntriesAsync(owner);

        // One transaction, so one moment; Marten sequences a transaction's events stream by stream.
        entries.Select(Action).ShouldBe(CreationActions, ignoreOrder: true);
        entries.ShouldAllBe(entry => entry.GetProperty("actor").GetProperty("kind").GetString() == "platform");
    }

    [Fact]
    public async Task A_change_made_by_a_person_names_the_person()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        (await browser.PostAsJsonAsync("/v1/api-keys", new { name = "made by hand", scopes = new[] { "escalations:read" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var actor = (await EntriesAsync(browser))[0].GetProperty("actor");
        actor.GetProperty("kind").GetString().ShouldBe("session");
        actor.GetProperty("id").GetString().ShouldBe(tenant.OwnerId.ToString());
        actor.GetProperty("name").GetString().ShouldBe(tenant.OwnerEmail);
        actor.GetProperty("source_ip").GetString().ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_the_oldest_entry()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);
        await ChangeKeysAndMembersAsync(owner, tenant);
        var everything = await EntriesAsync(owner);

        var paged = new List<JsonElement>();
        var page = await PageAsync(owner, "?limit=1");
        while (true)
        {
            paged.Add(page.Items().ShouldHaveSingleItem());
            if (page.GetProperty("next_cursor").GetString() is not { } cursor) break;
            page = await PageAsync(owner, $"?limit=1&cursor={cursor}");
        }

        paged.Select(Sequence).ShouldBe(everything.Select(Sequence));
        paged.Count.ShouldBe(7 + CreationActions.Length);
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenant_s_entries()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        using var firstOwner = _app.CreateHttpClient(first.ApiKey);
        using var secondOwner = _app.CreateHttpClient(second.ApiKey);
        await ChangeKeysAndMembersAsync(firstOwner, first);

        var firstEntries = await EntriesAsync(firstOwner);
        var secondEntries = await EntriesAsync(secondOwner);
        var secondText = string.Join("\n", secondEntries.Select(entry => entry.ToString()));

        secondEntries.Select(Action).ShouldBe(CreationActions, ignoreOrder: true);
        secondEntries.Select(Sequence).Intersect(firstEntries.Select(Sequence)).ShouldBeEmpty();
        secondText.ShouldNotContain(first.Slug);
        secondText.ShouldNotContain("audited");
    }

    [Fact]
    public async Task Paging_arguments_out_of_range_are_named()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = _app.CreateHttpClient(tenant.ApiKey);

        await (await owner.GetAsync("/v1/audit?limit=0", Ct)).ShouldBeInvalidAsync("limit");
        await (await owner.GetAsync("/v1/audit?limit=101", Ct)).ShouldBeInvalidAsync("limit");
        await (await owner.GetAsync("/v1/audit?cursor=yesterday", Ct)).ShouldBeInvalidAsync("cursor");
    }

    [Fact]
    public async Task An_operator_may_not_read_the_audit_trail()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);

        var problem = await (await token.GetAsync("/v1/audit", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        problem.GetProperty("detail").GetString()!.ShouldContain("audit:read");
    }

    [Fact]
    public async Task A_persons_password_reset_and_two_factor_changes_are_recorded_in_each_of_their_tenants_with_the_address_only_where_they_were_made()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var email = $"audited-{Guid.NewGuid():N}@example.test";
        var inFirst = await _app.NewMemberAsync(first, "operator", email);
        await _app.NewMemberAsync(second, "operator", email);

        using var person = _app.CreateHttpClient(inFirst.Token);
        var key = (await (await person.PostAsync("/v1/account/two-factor/setup", null, Ct)).JsonAsync()).GetProperty("shared_key").GetString()!;
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp();
        (await person.PostAsJsonAsync("/v1/account/two-factor/enable", new { code }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await person.DeleteAsync("/v1/account/two-factor", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var anonymous = _app.CreateHttpClient();
        (await anonymous.PostAsJsonAsync("/v1/account/password-reset", new { email }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var mail = (await _app.LatestSandboxEmailAsync(email, "reset_password"))!;
        (await anonymous.PostAsJsonAsync("/v1/account/password-reset/confirm", new { email, code = mail.Code, new_password = "another long passphrase" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var tenant in new[] { first, second })
        {
            using var owner = _app.CreateHttpClient(tenant.ApiKey);
            var entries = await EntriesAsync(owner);
            var enabled = entries.First(entry => Action(entry) == "member.two_factor_enabled");
            entries.Select(Action).ShouldContain("member.two_factor_disabled");
            var reset = entries.First(entry => Action(entry) == "member.password_reset");
            reset.GetProperty("subject").GetString().ShouldBe(email);
            // The reset named no tenant of the two; the two-factor change was made with a token of the first.
            SourceIp(reset).ShouldBeNull();
            SourceIp(enabled).ShouldBe(tenant == first ? "127.0.0.1" : null);
        }
    }
}
