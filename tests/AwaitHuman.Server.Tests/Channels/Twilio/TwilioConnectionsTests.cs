using System.Net.Http.Json;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Marten;

namespace AwaitHuman.Server.Tests.Channels.Twilio;

public class TwilioConnectionsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Twilio_connection_with_malformed_settings_is_refused_naming_each_field_and_nothing_is_stored()
    {
        var tenant = await _app.NewTenantAsync();
        using var admin = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "admin")).Token);

        using var response = await admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = "twilio",
            name = "Support line",
            channels = new[] { "sms", "whatsapp" },
            settings = new Dictionary<string, string> { ["account_sid"] = "AC-not-a-sid", ["from"] = "07700 900123" },
            secrets = new Dictionary<string, string> { ["auth_token"] = "0123456789abcdef0123456789abcdef", ["api_key_sid"] = "SK0123456789abcdef0123456789abcdef" },
        }, Ct);

        await response.ShouldBeInvalidAsync("settings.account_sid", "settings.from", "settings.whatsapp_from", "secrets.api_key_secret");
        await using var session = _app.Store.QuerySession(tenant.TenantId);
        (await session.Query<Core.Channels.Connections.Connection>().CountAsync(c => c.Provider == "twilio", Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task A_test_send_reports_what_Twilio_said()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        using var admin = _app.CreateHttpClient((await _app.NewMemberAsync(twilio.Tenant, "admin")).Token);
        var phone = TwilioTenant.NewPhone();

        using (var accepted = await admin.PostAsJsonAsync($"/v1/channel-connections/{twilio.ConnectionId}/test-send", new { channel = "sms", to = phone, text = "Test from AwaitHuman" }, Ct))
        {
            var result = await accepted.JsonAsync();
            result.GetProperty("outcome").GetString().ShouldBe("accepted");
            result.GetProperty("provider_message_id").GetString().ShouldBe(TwilioApiFake.Shared.SendsOf(twilio.AccountSid).Single().Sid);
        }

        TwilioApiFake.Shared.AnswerNext(twilio.AccountSid, 400);
        using var refused = await admin.PostAsJsonAsync($"/v1/channel-connections/{twilio.ConnectionId}/test-send", new { channel = "sms", to = "+1555", text = "Test" }, Ct);
        var failed = await refused.JsonAsync();
        failed.GetProperty("outcome").GetString().ShouldBe("failed");
        failed.GetProperty("error_code").GetString().ShouldBe("21211");
        failed.GetProperty("suggestion").GetString()!.ShouldContain("not a valid phone number");
        TwilioApiFake.Shared.SendsOf(twilio.AccountSid).Select(s => s.Field("To")).ShouldBe([phone, "+1555"]);
    }
}
