using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Channels.Connections;
using AwaitHuman.Server.Tests.Channels.Twilio;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Channels;

/// <summary>PATCH /v1/channel-connections/{id}: settings shown back, secrets write-only, bad input refused whole; and the last error of a connection.</summary>
public class ChannelConnectionUpdateTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(HttpClient Admin, string Id, TestTenantAccount Tenant)> ScriptedConnectionAsync()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);
        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "scripted", name = "Main SMS line",
            settings = new Dictionary<string, string> { ["from"] = "+15005550006", ["region"] = "eu" },
            secrets = new Dictionary<string, string> { ["token"] = "tok_first_4711" },
        }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (admin, (await created.JsonAsync()).GetProperty("id").GetString()!, tenant);
    }

    async Task<IReadOnlyDictionary<string, string>> StoredSecretsAsync(TestTenantAccount tenant, string id)
    {
        await using var session = _app.Store.QuerySession(tenant.TenantId);
        var connection = (await session.LoadAsync<Connection>(Guid.Parse(id), Ct)).ShouldNotBeNull();
        return _app.Services.GetRequiredService<ConnectionLookup>().Open(connection).Secrets;
    }

    [Fact]
    public async Task An_update_changes_what_it_names_keeps_secrets_left_empty_and_never_shows_one()
    {
        var (admin, id, tenant) = await ScriptedConnectionAsync();

        using var renamed = await admin.PatchAsJsonAsync($"/v1/channel-connections/{id}", new
        {
            name = "  Night line ", settings = new Dictionary<string, string> { ["from"] = "+15005550007" },
            secrets = new Dictionary<string, string> { ["token"] = "" },
        }, Ct);
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync(Ct));
        var view = await renamed.JsonAsync();
        view.GetProperty("name").GetString().ShouldBe("Night line");
        view.GetProperty("settings").GetProperty("from").GetString().ShouldBe("+15005550007");
        view.GetProperty("settings").TryGetProperty("region", out _).ShouldBeFalse("settings given are the whole set");
        view.GetProperty("secret_names").EnumerateArray().Select(s => s.GetString()).ShouldBe(["token"]);
        (await StoredSecretsAsync(tenant, id))["token"].ShouldBe("tok_first_4711");

        using var rotated = await admin.PatchAsJsonAsync($"/v1/channel-connections/{id}", new { secrets = new Dictionary<string, string> { ["token"] = "tok_second_0815" } }, Ct);
        var rotatedBody = await rotated.Content.ReadAsStringAsync(Ct);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK, rotatedBody);
        rotatedBody.ShouldNotContain("tok_second_0815");
        (await rotated.JsonAsync()).GetProperty("settings").GetProperty("from").GetString().ShouldBe("+15005550007", "settings left out stay");
        (await StoredSecretsAsync(tenant, id))["token"].ShouldBe("tok_second_0815");
        (await admin.GetStringAsync($"/v1/channel-connections/{id}", Ct)).ShouldNotContain("tok_second_0815");
        (await Sql.ScalarAsync<long>(TestPostgres.ConnectionString, "select count(*) from awaithuman.mt_events where data::text like '%tok_second_0815%'")).ShouldBe(0);

        var audit = await admin.GetStringAsync("/v1/audit", Ct);
        audit.ShouldContain("channel_connection.updated");
        audit.ShouldContain("Night line (new token)");
    }

    [Fact]
    public async Task A_bad_update_names_each_field_and_changes_nothing()
    {
        var (admin, id, tenant) = await ScriptedConnectionAsync();

        using var bad = await admin.PatchAsJsonAsync($"/v1/channel-connections/{id}", new
        {
            name = new string('n', 101), channels = new[] { "whatsapp" },
            settings = new Dictionary<string, string> { ["colour"] = "blue" },
            secrets = new Dictionary<string, string> { ["password"] = "x", ["token"] = new string('t', 4_001) },
        }, Ct);
        await bad.ShouldBeInvalidAsync("name", "channels", "settings.from", "settings.colour", "secrets.password", "secrets.token");

        using var badNumber = await admin.PatchAsJsonAsync($"/v1/channel-connections/{id}", new
        {
            settings = new Dictionary<string, string> { ["from"] = "5550006" }, secrets = new Dictionary<string, string> { ["token"] = "tok_never_stored" },
        }, Ct);
        await badNumber.ShouldBeInvalidAsync("settings.from");

        using var blankName = await admin.PatchAsJsonAsync($"/v1/channel-connections/{id}", new { name = " " }, Ct);
        await blankName.ShouldBeInvalidAsync("name");

        var view = await (await admin.GetAsync($"/v1/channel-connections/{id}", Ct)).JsonAsync();
        view.GetProperty("name").GetString().ShouldBe("Main SMS line");
        view.GetProperty("settings").GetProperty("from").GetString().ShouldBe("+15005550006");
        view.GetProperty("settings").GetProperty("region").GetString().ShouldBe("eu");
        (await StoredSecretsAsync(tenant, id))["token"].ShouldBe("tok_first_4711");
        (await admin.GetStringAsync("/v1/audit", Ct)).ShouldNotContain("channel_connection.updated");
    }

    [Fact]
    public async Task Another_tenant_cannot_update_a_connection_nor_can_an_operator()
    {
        var (admin, id, tenant) = await ScriptedConnectionAsync();
        var stranger = _app.CreateHttpClient((await _app.NewTenantAsync()).ApiKey);
        var operatorClient = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var change = new { name = "Taken over", secrets = new Dictionary<string, string> { ["token"] = "tok_stranger" } };

        using var foreign = await stranger.PatchAsJsonAsync($"/v1/channel-connections/{id}", change, Ct);
        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var unknown = await admin.PatchAsJsonAsync($"/v1/channel-connections/{Guid.CreateVersion7()}", change, Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var asOperator = await operatorClient.PatchAsJsonAsync($"/v1/channel-connections/{id}", change, Ct);
        asOperator.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await (await admin.GetAsync($"/v1/channel-connections/{id}", Ct)).JsonAsync()).GetProperty("name").GetString().ShouldBe("Main SMS line");
        (await StoredSecretsAsync(tenant, id))["token"].ShouldBe("tok_first_4711");
    }

    [Fact]
    public async Task A_refused_test_send_is_the_connections_last_error_with_its_time()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        using var admin = _app.CreateHttpClient((await _app.NewMemberAsync(twilio.Tenant, "admin")).Token);
        var url = $"/v1/channel-connections/{twilio.ConnectionId}";
        (await (await admin.GetAsync(url, Ct)).JsonAsync()).GetProperty("last_error").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        TwilioApiFake.Shared.AnswerNext(twilio.AccountSid, 400);
        using var refused = await admin.PostAsJsonAsync($"{url}/test-send", new { channel = "sms", to = "+1555", text = "Test" }, Ct);
        (await refused.JsonAsync()).GetProperty("outcome").GetString().ShouldBe("failed");

        var lastError = (await (await admin.GetAsync(url, Ct)).JsonAsync()).GetProperty("last_error");
        lastError.GetProperty("code").GetString().ShouldBe("21211");
        lastError.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        lastError.GetProperty("at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        (await admin.GetStringAsync("/v1/channel-connections", Ct)).ShouldContain("21211");
    }
}
