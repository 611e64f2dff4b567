using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Channels;

public class ChannelConnectionsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static object Scripted(string from = "+15005550006", string token = "tok_very_secret_123") => new
    {
        provider = "scripted",
        name = "Main SMS line",
        settings = new Dictionary<string, string> { ["from"] = from },
        secrets = new Dictionary<string, string> { ["token"] = token },
    };

    [Fact]
    public async Task A_new_tenant_starts_with_the_sandbox_and_the_agent_relay()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);

        var connections = await admin.ListAllAsync("/v1/channel-connections");

        var byProvider = connections.ToDictionary(c => c.GetProperty("provider").GetString()!);
        byProvider.Keys.Order().ShouldBe(["agent_relay", "sandbox"]);
        byProvider["sandbox"].GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ShouldBe(["whatsapp", "sms", "email", "webchat"]);
        byProvider["agent_relay"].GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ShouldBe(["agent"]);
    }

    [Fact]
    public async Task Secrets_are_encrypted_at_rest_and_never_shown_again()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);

        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", Scripted(token: "tok_do_not_leak_4711"), Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var body = await created.Content.ReadAsStringAsync(Ct);
        var connection = await created.JsonAsync();
        var id = connection.GetProperty("id").GetString()!;

        body.ShouldNotContain("tok_do_not_leak_4711");
        connection.GetProperty("secret_names").EnumerateArray().Select(s => s.GetString()).ShouldBe(["token"]);
        connection.GetProperty("settings").GetProperty("from").GetString().ShouldBe("+15005550006");
        connection.GetProperty("webhook_urls").GetProperty("status").GetString().ShouldEndWith($"/connectors/scripted/{id}/status");
        (await admin.GetStringAsync($"/v1/channel-connections/{id}", Ct)).ShouldNotContain("tok_do_not_leak_4711");
        (await admin.GetStringAsync("/v1/channel-connections", Ct)).ShouldNotContain("tok_do_not_leak_4711");

        var stored = await Sql.ScalarAsync<long>(TestPostgres.ConnectionString, "select count(*) from awaithuman.mt_doc_connection where data::text like '%tok_do_not_leak_4711%'");
        stored.ShouldBe(0);
        var events = await Sql.ScalarAsync<long>(TestPostgres.ConnectionString, "select count(*) from awaithuman.mt_events where data::text like '%tok_do_not_leak_4711%'");
        events.ShouldBe(0);
    }

    [Fact]
    public async Task Bad_connections_are_refused_naming_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);

        using var unknown = await admin.PostAsJsonAsync("/v1/channel-connections", new { provider = "pigeon", name = "x" }, Ct);
        await unknown.ShouldBeInvalidAsync("provider");

        using var missing = await admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "scripted", name = " ", channels = new[] { "whatsapp" },
            settings = new Dictionary<string, string> { ["colour"] = "blue" },
        }, Ct);
        await missing.ShouldBeInvalidAsync("name", "channels", "settings.from", "settings.colour", "secrets.token");

        using var invalid = await admin.PostAsJsonAsync("/v1/channel-connections", Scripted(from: "5550006"), Ct);
        await invalid.ShouldBeInvalidAsync("settings.from");

        var connections = await admin.ListAllAsync("/v1/channel-connections");
        connections.Length.ShouldBe(2);
    }

    [Fact]
    public async Task Connections_are_managed_by_admins_and_invisible_to_other_tenants()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);
        var operatorToken = (await _app.NewMemberAsync(tenant, "operator")).Token;
        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", Scripted(), Ct);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        using var asOperator = await _app.CreateHttpClient(operatorToken).GetAsync("/v1/channel-connections", Ct);
        asOperator.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var stranger = _app.CreateHttpClient(other.ApiKey);
        using var read = await stranger.GetAsync($"/v1/channel-connections/{id}", Ct);
        await read.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var disable = await stranger.PostAsJsonAsync($"/v1/channel-connections/{id}/disable", new { }, Ct);
        await disable.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var delete = await stranger.DeleteAsync($"/v1/channel-connections/{id}", Ct);
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stranger.GetStringAsync("/v1/channel-connections", Ct)).ShouldNotContain(id);

        (await (await admin.GetAsync($"/v1/channel-connections/{id}", Ct)).JsonAsync()).GetProperty("status").GetString().ShouldBe("enabled");
    }

    [Fact]
    public async Task Disable_enable_and_delete()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);
        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", Scripted(), Ct);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        using var disabled = await admin.PostAsJsonAsync($"/v1/channel-connections/{id}/disable", new { reason = "Rotating the number" }, Ct);
        var view = await disabled.JsonAsync();
        view.GetProperty("status").GetString().ShouldBe("disabled");
        view.GetProperty("disabled_reason").GetString().ShouldBe("Rotating the number");

        using var testWhileDisabled = await admin.PostAsJsonAsync($"/v1/channel-connections/{id}/test-send", new { channel = "sms", to = "+15005550001", text = "hi" }, Ct);
        await testWhileDisabled.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        using var enabled = await admin.PostAsync($"/v1/channel-connections/{id}/enable", null, Ct);
        (await enabled.JsonAsync()).GetProperty("status").GetString().ShouldBe("enabled");

        using var deleted = await admin.DeleteAsync($"/v1/channel-connections/{id}", Ct);
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await admin.GetAsync($"/v1/channel-connections/{id}", Ct);
        await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var audit = await admin.GetStringAsync("/v1/audit", Ct);
        audit.ShouldContain("channel_connection.created");
        audit.ShouldContain("channel_connection.disabled");
        audit.ShouldContain("channel_connection.deleted");
    }

    [Fact]
    public async Task A_test_send_reports_what_the_provider_said()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);
        using var created = await admin.PostAsJsonAsync("/v1/channel-connections", Scripted(), Ct);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;
        var to = $"+1500{Random.Shared.Next(1_000_000, 9_999_999)}";
        ScriptedConnector.Script(to, new AwaitHuman.Connectors.SendOutcome.Failed("21211", "Invalid 'To' number", "Check the number."));

        using var failed = await admin.PostAsJsonAsync($"/v1/channel-connections/{id}/test-send", new { channel = "sms", to, text = "Hello from AwaitHuman" }, Ct);
        var result = await failed.JsonAsync();
        result.GetProperty("outcome").GetString().ShouldBe("failed");
        result.GetProperty("error_code").GetString().ShouldBe("21211");

        using var accepted = await admin.PostAsJsonAsync($"/v1/channel-connections/{id}/test-send", new { channel = "sms", to, text = "Hello again" }, Ct);
        (await accepted.JsonAsync()).GetProperty("outcome").GetString().ShouldBe("accepted");
        ScriptedConnector.SentTo(to).Select(m => m.Text).ShouldBe(["Hello from AwaitHuman", "Hello again"]);

        using var bad = await admin.PostAsJsonAsync($"/v1/channel-connections/{id}/test-send", new { channel = "whatsapp", text = "" }, Ct);
        await bad.ShouldBeInvalidAsync("channel", "to", "text");
    }
}
