using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Onboarding;

/// <summary>
/// Adding a person by email is an invitation the person accepts, whether or not they have an account;
/// the answer never says which; and one tenant's audit trail shows nothing of another's.
/// </summary>
public class InvitationTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<JsonElement[]> MembersAsync(HttpClient client) => client.ListAllAsync("/v1/members");

    static Task<JsonElement[]> AuditAsync(HttpClient client) => client.ListAllAsync("/v1/audit");

    static string? SourceIp(JsonElement entry) =>
        entry.GetProperty("actor").TryGetProperty("source_ip", out var ip) && ip.ValueKind == JsonValueKind.String ? ip.GetString() : null;

    async Task FailSignInsAsync(string email, string? tenant)
    {
        using var anonymous = _app.CreateHttpClient();
        for (var i = 0; i < 5; i++)
            (await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = "wrong password, again", tenant }, Ct)).IsSuccessStatusCode.ShouldBeFalse();
    }

    [Fact]
    public async Task Inviting_a_person_of_another_tenant_answers_as_for_a_new_address_and_adds_nobody_until_they_accept()
    {
        var theirs = await _app.NewTenantAsync();
        var person = await _app.NewMemberAsync(theirs, "operator");
        var mine = await _app.NewTenantAsync();
        using var admin = _app.CreateHttpClient(mine.ApiKey);
        var stranger = $"new-{Guid.NewGuid():N}@example.test";

        using var forPerson = await admin.PostAsJsonAsync("/v1/members", new { email = person.Email, role = "operator", password = "ignored before, refused now" }, Ct);
        await forPerson.ShouldBeInvalidAsync("password");
        using var existing = await admin.PostAsJsonAsync("/v1/members", new { email = person.Email, role = "operator" }, Ct);
        using var fresh = await admin.PostAsJsonAsync("/v1/members", new { email = stranger, role = "operator" }, Ct);

        existing.StatusCode.ShouldBe(HttpStatusCode.Created);
        fresh.StatusCode.ShouldBe(HttpStatusCode.Created);
        var existingBody = await existing.JsonAsync();
        var freshBody = await fresh.JsonAsync();
        existingBody.EnumerateObject().Select(p => p.Name).ShouldBe(freshBody.EnumerateObject().Select(p => p.Name));
        existingBody.GetProperty("status").GetString().ShouldBe("pending");
        existingBody.ToString().ShouldNotContain(person.PersonId.ToString());
        (await MembersAsync(admin)).Select(m => m.GetProperty("email").GetString()).ShouldBe([mine.OwnerEmail]);
        (await _app.LatestSandboxEmailAsync(person.Email, "invitation")).ShouldNotBeNull().Subject
            .ShouldBe((await _app.LatestSandboxEmailAsync(stranger, "invitation")).ShouldNotBeNull().Subject);

        // Before accepting, their lockout and its address stay with their own tenant.
        await FailSignInsAsync(person.Email, null);
        (await AuditAsync(admin)).ShouldNotContain(entry => entry.GetProperty("action").GetString() == "member.locked_out");
        using var theirOwner = _app.CreateHttpClient(theirs.ApiKey);
        SourceIp((await AuditAsync(theirOwner)).First(entry => entry.GetProperty("action").GetString() == "member.locked_out")).ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task Someone_with_an_account_accepts_only_signed_in_as_themselves()
    {
        var theirs = await _app.NewTenantAsync();
        var person = await _app.NewMemberAsync(theirs, "operator");
        var other = await _app.NewMemberAsync(theirs, "operator");
        var mine = await _app.NewTenantAsync();
        using var admin = _app.CreateHttpClient(mine.ApiKey);
        (await admin.PostAsJsonAsync("/v1/members", new { email = person.Email, role = "supervisor" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await _app.InvitationTokenAsync(person.Email);

        using var anonymous = _app.CreateHttpClient();
        await (await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token, password = "a new password for them" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var someoneElse = _app.CreateHttpClient(other.Token);
        await (await someoneElse.PostAsJsonAsync("/v1/invitations/accept", new { token }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await MembersAsync(admin)).Length.ShouldBe(1);
        await _app.SignedInClientAsync(person.Email, person.Password); // their password is unchanged

        using var themselves = _app.CreateHttpClient(person.Token);
        using var accepted = await themselves.PostAsJsonAsync("/v1/invitations/accept", new { token }, Ct);
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(Ct));
        (await accepted.JsonAsync()).GetProperty("tenant").GetString().ShouldBe(mine.Slug);
        (await MembersAsync(admin)).Single(m => m.GetProperty("email").GetString() == person.Email).GetProperty("role").GetString().ShouldBe("supervisor");
        (await admin.ListAllAsync("/v1/invitations")).ShouldBeEmpty();
        await (await themselves.PostAsJsonAsync("/v1/invitations/accept", new { token }, Ct)).ShouldBeInvalidAsync("token");
    }

    [Fact]
    public async Task A_bad_token_or_password_is_named_and_nothing_is_created()
    {
        var tenant = await _app.NewTenantAsync();
        using var admin = _app.CreateHttpClient(tenant.ApiKey);
        var email = $"new-{Guid.NewGuid():N}@example.test";
        (await admin.PostAsJsonAsync("/v1/members", new { email, role = "operator" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var anonymous = _app.CreateHttpClient();

        await (await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token = "ahi_not-a-real-token", password = TestTenants.Password }, Ct)).ShouldBeInvalidAsync("token");
        await (await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token = await _app.InvitationTokenAsync(email), password = "short" }, Ct)).ShouldBeInvalidAsync("password");
        await (await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token = await _app.InvitationTokenAsync(email), name = new string('x', 101), password = TestTenants.Password }, Ct)).ShouldBeInvalidAsync("name");

        (await _app.FindPersonAsync(email)).ShouldBeNull();
        (await MembersAsync(admin)).Length.ShouldBe(1);
        (await admin.PostAsJsonAsync("/v1/members", new { email, role = "operator" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict, "already invited");
    }

    [Fact]
    public async Task Resending_replaces_the_link_and_revoking_ends_it_and_another_tenant_finds_neither()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        using var admin = _app.CreateHttpClient(tenant.ApiKey);
        using var stranger = _app.CreateHttpClient(other.ApiKey);
        var email = $"new-{Guid.NewGuid():N}@example.test";
        using var invited = await admin.PostAsJsonAsync("/v1/members", new { email, role = "operator" }, Ct);
        var id = (await invited.JsonAsync()).GetProperty("id").GetGuid();
        var firstToken = await _app.InvitationTokenAsync(email);

        await (await stranger.PostAsync($"/v1/invitations/{id}/resend", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.DeleteAsync($"/v1/invitations/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stranger.ListAllAsync("/v1/invitations")).ShouldBeEmpty();
        (await AuditAsync(stranger)).ShouldAllBe(entry => !entry.ToString().Contains(email));

        (await admin.PostAsync($"/v1/invitations/{id}/resend", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var secondToken = await _app.InvitationTokenAsync(email);
        secondToken.ShouldNotBe(firstToken);
        using var anonymous = _app.CreateHttpClient();
        await (await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token = firstToken, password = TestTenants.Password }, Ct)).ShouldBeInvalidAsync("token");

        (await admin.DeleteAsync($"/v1/invitations/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await anonymous.PostAsJsonAsync("/v1/invitations/accept", new { token = secondToken, password = TestTenants.Password }, Ct)).ShouldBeInvalidAsync("token");
        (await _app.FindPersonAsync(email)).ShouldBeNull();
        (await AuditAsync(admin)).Take(3).Select(entry => entry.GetProperty("action").GetString())
            .ShouldBe(["member.invitation_revoked", "member.invitation_resent", "member.invited"]);
    }

    [Fact]
    public async Task An_operator_may_not_invite()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var operatorClient = _app.CreateHttpClient(member.Token);

        (await operatorClient.PostAsJsonAsync("/v1/members", new { email = "someone@example.test", role = "operator" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _app.LatestSandboxEmailAsync("someone@example.test", "invitation")).ShouldBeNull();
    }

    [Fact]
    public async Task A_lockout_s_source_address_is_shown_only_to_the_tenant_the_sign_in_named()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var person = await _app.NewMemberAsync(first, "operator");
        await _app.NewMemberAsync(second, "operator", person.Email);

        await FailSignInsAsync(person.Email, second.Slug);

        using var firstOwner = _app.CreateHttpClient(first.ApiKey);
        using var secondOwner = _app.CreateHttpClient(second.ApiKey);
        var inFirst = (await AuditAsync(firstOwner)).First(entry => entry.GetProperty("action").GetString() == "member.locked_out");
        var inSecond = (await AuditAsync(secondOwner)).First(entry => entry.GetProperty("action").GetString() == "member.locked_out");
        SourceIp(inSecond).ShouldBe("127.0.0.1");
        SourceIp(inFirst).ShouldBeNull("the attempts named the other tenant");
    }
}
