using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;
using OtpNet;

namespace AwaitHuman.Server.Tests.Profiles;

public class ProfileTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement> ProfileAsync(HttpClient person)
    {
        using var response = await person.GetAsync("/v1/me/profile", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    static Task<HttpResponseMessage> PatchAsync(HttpClient person, object body) =>
        person.PatchAsJsonAsync("/v1/me/profile", body, Ct);

    Task<HttpResponseMessage> SignInAsync(string email, string password, string? twoFactorCode = null) =>
        _app.CreateHttpClient().PostAsJsonAsync("/v1/auth/login", new { email, password, two_factor_code = twoFactorCode }, Ct);

    [Fact]
    public async Task A_new_person_shows_their_email_no_time_zone_and_every_notice_on()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");

        var profile = await ProfileAsync(_app.CreateHttpClient(member.Token));

        profile.GetProperty("person_id").GetGuid().ShouldBe(member.PersonId);
        profile.GetProperty("email").GetString().ShouldBe(member.Email);
        profile.GetProperty("display_name").GetString().ShouldBe(member.Email);
        profile.GetProperty("time_zone").ValueKind.ShouldBe(JsonValueKind.Null);
        profile.GetProperty("two_factor_enabled").GetBoolean().ShouldBeFalse();
        profile.GetProperty("email_when_assigned").GetBoolean().ShouldBeTrue();
        profile.GetProperty("email_before_sla_breach").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Patching_changes_the_fields_given_and_leaves_the_others()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var person = _app.CreateHttpClient(member.Token);

        using var first = await PatchAsync(person, new { display_name = "  Sam Rivera ", time_zone = "Europe/Berlin" });
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync(Ct));
        using var second = await PatchAsync(person, new { email_before_sla_breach = false });
        second.StatusCode.ShouldBe(HttpStatusCode.OK);

        var profile = await ProfileAsync(person);
        profile.GetProperty("display_name").GetString().ShouldBe("Sam Rivera");
        profile.GetProperty("time_zone").GetString().ShouldBe("Europe/Berlin");
        profile.GetProperty("email_when_assigned").GetBoolean().ShouldBeTrue();
        profile.GetProperty("email_before_sla_breach").GetBoolean().ShouldBeFalse();

        using var cleared = await PatchAsync(person, new { display_name = "" });
        (await cleared.JsonAsync()).GetProperty("display_name").GetString().ShouldBe(member.Email);
    }

    [Fact]
    public async Task Bad_input_names_each_field_and_stores_nothing_of_the_request()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var person = _app.CreateHttpClient(member.Token);

        using var response = await PatchAsync(person, new { display_name = new string('x', 101), time_zone = "Mars/Olympus_Mons", email_when_assigned = false });

        await response.ShouldBeInvalidAsync("display_name", "time_zone");
        var profile = await ProfileAsync(person);
        profile.GetProperty("display_name").GetString().ShouldBe(member.Email);
        profile.GetProperty("time_zone").ValueKind.ShouldBe(JsonValueKind.Null);
        profile.GetProperty("email_when_assigned").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task An_api_key_is_no_person_and_has_no_profile()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);

        (await agent.GetAsync("/v1/me/profile", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PatchAsync(agent, new { display_name = "Bot" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _app.CreateHttpClient().GetAsync("/v1/me/profile", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_person_changes_only_their_own_profile_whatever_tenant_they_act_in()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "admin");
        var stranger = await _app.NewMemberAsync(other, "operator");

        using var changed = await PatchAsync(_app.CreateHttpClient(member.Token), new { display_name = "Admin Person" });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await ProfileAsync(_app.CreateHttpClient(stranger.Token))).GetProperty("display_name").GetString().ShouldBe(stranger.Email);
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        (await ProfileAsync(owner)).GetProperty("display_name").GetString().ShouldNotBe("Admin Person");
    }

    [Fact]
    public async Task The_customer_and_the_agent_see_the_display_name_on_a_reply_not_the_email()
    {
        var tenant = await _app.NewTenantAsync();
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["phone"] = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        request["customer"]!["preferred_channel"] = "sms";
        var id = (await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync(request)).GetProperty("id").GetString()!;
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(member.Token);
        (await PatchAsync(human, new { display_name = "Sam from Support" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await human.ActOkAsync(id, "reply", new { content = "We refunded the second charge." });

        var line = after.GetProperty("transcript").EnumerateArray().Last();
        line.GetProperty("author").GetProperty("name").GetString().ShouldBe("Sam from Support");
        var agentView = await _app.CreateHttpClient(tenant.ApiKey).GetEscalationAsync(id);
        agentView.GetProperty("transcript").EnumerateArray().Last().GetProperty("author").GetProperty("name").GetString().ShouldBe("Sam from Support");

        using var device = await human.GetAsync($"/v1/escalations/{id}/sandbox-device", Ct);
        var url = (await device.JsonAsync()).GetProperty("url").GetString()!;
        var token = Uri.UnescapeDataString(new Uri(url).Query.Split("token=")[1]);
        var conversation = await (await _app.CreateHttpClient().GetAsync($"/sandbox/device/conversation?token={Uri.EscapeDataString(token)}", Ct)).JsonAsync();
        var seen = conversation.GetProperty("messages").EnumerateArray().Last();
        seen.GetProperty("author_name").GetString().ShouldBe("Sam from Support");
        conversation.ToString().ShouldNotContain(member.Email);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_the_rules_and_ends_other_sessions()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var browser = await _app.SignedInClientAsync(member.Email, member.Password);
        using var otherBrowser = await _app.SignedInClientAsync(member.Email, member.Password);

        using var wrong = await browser.PostAsJsonAsync("/v1/me/password", new { current_password = "not it at all", new_password = "a brand new passphrase" }, Ct);
        await wrong.ShouldBeInvalidAsync("current_password");
        using var weak = await browser.PostAsJsonAsync("/v1/me/password", new { current_password = member.Password, new_password = "short" }, Ct);
        await weak.ShouldBeInvalidAsync("new_password");
        (await SignInAsync(member.Email, member.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var changed = await browser.PostAsJsonAsync("/v1/me/password", new { current_password = member.Password, new_password = "a brand new passphrase" }, Ct);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync(Ct));

        (await SignInAsync(member.Email, member.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignInAsync(member.Email, "a brand new passphrase")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("/v1/me/profile", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "the session that changed it carries on");
        (await otherBrowser.GetAsync("/v1/me/profile", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "every other session ends");
    }

    [Fact]
    public async Task Turning_two_factor_on_gives_recovery_codes_that_each_sign_in_once()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var person = _app.CreateHttpClient(member.Token);
        using var setup = await person.PostAsync("/v1/account/two-factor/setup", null, Ct);
        var key = (await setup.JsonAsync()).GetProperty("shared_key").GetString()!;
        // RFC 6238 with the app's defaults (SHA-1, 30 s, 6 digits), computed here as the phone would.
        var code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

        using var enabled = await person.PostAsJsonAsync("/v1/account/two-factor/enable", new { code }, Ct);

        enabled.StatusCode.ShouldBe(HttpStatusCode.OK, await enabled.Content.ReadAsStringAsync(Ct));
        var codes = (await enabled.JsonAsync()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        codes.Length.ShouldBe(10);
        codes.Distinct().Count().ShouldBe(10);
        (await ProfileAsync(person)).GetProperty("recovery_codes_left").GetInt32().ShouldBe(10);

        (await SignInAsync(member.Email, member.Password, codes[0].ToLowerInvariant())).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await SignInAsync(member.Email, member.Password, codes[0])).ShouldBeInvalidAsync("two_factor_code");
        (await ProfileAsync(person)).GetProperty("recovery_codes_left").GetInt32().ShouldBe(9);

        using var again = await person.PostAsync("/v1/account/two-factor/setup", null, Ct);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict, "a second key while it is on would lock the person out");
        (await person.DeleteAsync("/v1/account/two-factor", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProfileAsync(person)).GetProperty("recovery_codes_left").GetInt32().ShouldBe(0);
    }
}
