using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;
using OtpNet;

namespace AwaitHuman.Server.Tests.Accounts;

public class TwoFactorTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    readonly HttpClient _client = host.App.CreateHttpClient();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What an authenticator app shows for the Base32 key right now.</summary>
    static string CurrentCode(string sharedKey) => new Totp(Base32Encoding.ToBytes(sharedKey)).ComputeTotp();

    /// <summary>A six-digit code that is not the current one.</summary>
    static string WrongCode(string sharedKey) => ((int.Parse(CurrentCode(sharedKey)) + 1) % 1_000_000).ToString("D6");

    static async Task<string> SetUpAsync(HttpClient person)
    {
        using var response = await person.PostAsync("/v1/account/two-factor/setup", null, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("shared_key").GetString()!;
    }

    static Task<HttpResponseMessage> EnableAsync(HttpClient person, string code) =>
        person.PostAsJsonAsync("/v1/account/two-factor/enable", new { code }, Ct);

    Task<HttpResponseMessage> SignInAsync(string email, string password, string? twoFactorCode) =>
        _client.PostAsJsonAsync("/v1/auth/login", new { email, password, two_factor_code = twoFactorCode }, Ct);

    [Fact]
    public async Task Setting_up_with_a_session_gives_a_base32_key_and_an_authenticator_uri()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        using var response = await browser.PostAsync("/v1/account/two-factor/setup", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var setup = await response.JsonAsync();
        var key = setup.GetProperty("shared_key").GetString()!;
        Base32Encoding.ToBytes(key).Length.ShouldBeGreaterThanOrEqualTo(20);
        setup.GetProperty("authenticator_uri").GetString().ShouldBe(
            $"otpauth://totp/AwaitHuman:{Uri.EscapeDataString(tenant.OwnerEmail)}?secret={key}&issuer=AwaitHuman&digits=6");
    }

    [Fact]
    public async Task A_wrong_code_does_not_turn_two_factor_on()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        var key = await SetUpAsync(token);

        using var response = await EnableAsync(token, WrongCode(key));

        await response.ShouldBeInvalidAsync("code");
        (await SignInAsync(member.Email, member.Password, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Once_on_signing_in_needs_the_authenticator_s_current_code()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        var key = await SetUpAsync(token);

        using var enabled = await EnableAsync(token, CurrentCode(key));

        enabled.StatusCode.ShouldBe(HttpStatusCode.OK, await enabled.Content.ReadAsStringAsync(Ct));
        (await enabled.JsonAsync()).GetProperty("enabled").GetBoolean().ShouldBeTrue();

        using var withoutCode = await SignInAsync(member.Email, member.Password, null);
        var problem = await withoutCode.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("two_factor_required").GetBoolean().ShouldBeTrue();
        withoutCode.Headers.Contains("Set-Cookie").ShouldBeFalse();

        using var wrongCode = await SignInAsync(member.Email, member.Password, WrongCode(key));
        await wrongCode.ShouldBeInvalidAsync("two_factor_code");
        wrongCode.Headers.Contains("Set-Cookie").ShouldBeFalse();

        using var rightCode = await SignInAsync(member.Email, member.Password, CurrentCode(key));
        rightCode.StatusCode.ShouldBe(HttpStatusCode.OK, await rightCode.Content.ReadAsStringAsync(Ct));
        (await rightCode.JsonAsync()).GetProperty("role").GetString().ShouldBe("operator");
    }

    [Fact]
    public async Task The_right_code_does_not_make_up_for_a_wrong_password()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        var key = await SetUpAsync(token);
        (await EnableAsync(token, CurrentCode(key))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await SignInAsync(member.Email, "not the password at all", CurrentCode(key));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_even_with_the_right_password()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        var key = await SetUpAsync(token);
        (await EnableAsync(token, CurrentCode(key))).StatusCode.ShouldBe(HttpStatusCode.OK);
        for (var attempt = 1; attempt < 5; attempt++)
            (await SignInAsync(member.Email, member.Password, WrongCode(key))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var fifth = await SignInAsync(member.Email, member.Password, WrongCode(key));

        await fifth.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        (await SignInAsync(member.Email, member.Password, CurrentCode(key))).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Turning_it_off_signs_in_with_the_password_alone_again()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        (await EnableAsync(token, CurrentCode(await SetUpAsync(token)))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await token.DeleteAsync("/v1/account/two-factor", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("enabled").GetBoolean().ShouldBeFalse();
        (await SignInAsync(member.Email, member.Password, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_api_key_is_not_a_person_and_cannot_set_up_two_factor()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await agent.PostAsync("/v1/account/two-factor/setup", null, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}
