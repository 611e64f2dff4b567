using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Accounts;

public class PasswordResetTests(ServerTestsHost host)
{
    const string NewPassword = "a brand new passphrase";

    readonly AwaitHumanApp _app = host.App;
    readonly HttpClient _client = host.App.CreateHttpClient();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<HttpResponseMessage> RequestResetAsync(string email) =>
        _client.PostAsJsonAsync("/v1/account/password-reset", new { email }, Ct);

    Task<HttpResponseMessage> ResetAsync(string? email, string? code, string? newPassword) =>
        _client.PostAsJsonAsync("/v1/account/password-reset/confirm", new { email, code, new_password = newPassword }, Ct);

    Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        _client.PostAsJsonAsync("/v1/auth/login", new { email, password }, Ct);

    async Task<string> MailedCodeAsync(string email)
    {
        (await RequestResetAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var mail = await _app.LatestSandboxEmailAsync(email, "reset_password");
        mail.ShouldNotBeNull($"no reset mail to {email}");
        mail.Text.ShouldContain(mail.Code!);
        return mail.Code!;
    }

    [Fact]
    public async Task A_request_for_a_known_address_is_accepted_and_mails_a_code()
    {
        var tenant = await _app.NewTenantAsync();

        using var response = await RequestResetAsync(tenant.OwnerEmail);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var mail = await _app.LatestSandboxEmailAsync(tenant.OwnerEmail, "reset_password");
        mail.ShouldNotBeNull();
        mail.Code.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task A_request_for_an_unknown_address_is_accepted_the_same_and_mails_nothing()
    {
        var nobody = $"nobody-{Guid.NewGuid():N}@example.test";

        using var response = await RequestResetAsync(nobody);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _app.LatestSandboxEmailAsync(nobody, "reset_password")).ShouldBeNull();
    }

    [Fact]
    public async Task The_mailed_code_sets_a_new_password_once_and_the_old_one_stops_working()
    {
        var tenant = await _app.NewTenantAsync();
        var code = await MailedCodeAsync(tenant.OwnerEmail);

        using var response = await ResetAsync(tenant.OwnerEmail, code, NewPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(Ct));
        (await SignInAsync(tenant.OwnerEmail, tenant.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignInAsync(tenant.OwnerEmail, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await ResetAsync(tenant.OwnerEmail, code, "yet another passphrase")).ShouldBeInvalidAsync("code");
    }

    [Fact]
    public async Task A_code_mailed_to_someone_else_is_refused_naming_code()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        var codeOfTheMember = await MailedCodeAsync(member.Email);

        using var response = await ResetAsync(tenant.OwnerEmail, codeOfTheMember, NewPassword);

        await response.ShouldBeInvalidAsync("code");
        (await SignInAsync(tenant.OwnerEmail, tenant.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_made_up_code_is_refused_naming_code()
    {
        var tenant = await _app.NewTenantAsync();

        await (await ResetAsync(tenant.OwnerEmail, "bm90LWEtdG9rZW4", NewPassword)).ShouldBeInvalidAsync("code");
        await (await ResetAsync(tenant.OwnerEmail, "not base64url!", NewPassword)).ShouldBeInvalidAsync("code");
    }

    [Fact]
    public async Task A_short_new_password_is_refused_naming_new_password_and_the_code_stays_good()
    {
        var tenant = await _app.NewTenantAsync();
        var code = await MailedCodeAsync(tenant.OwnerEmail);

        using var response = await ResetAsync(tenant.OwnerEmail, code, "too short");

        await response.ShouldBeInvalidAsync("new_password");
        (await SignInAsync(tenant.OwnerEmail, tenant.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ResetAsync(tenant.OwnerEmail, code, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_reset_ends_a_lockout()
    {
        var tenant = await _app.NewTenantAsync();
        for (var attempt = 1; attempt <= 5; attempt++) await SignInAsync(tenant.OwnerEmail, $"guess number {attempt}");
        (await SignInAsync(tenant.OwnerEmail, tenant.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        (await ResetAsync(tenant.OwnerEmail, await MailedCodeAsync(tenant.OwnerEmail), NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await SignInAsync(tenant.OwnerEmail, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
