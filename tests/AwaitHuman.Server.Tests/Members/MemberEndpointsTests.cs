using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Members;

public class MemberEndpointsTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string NewAddress(TestTenantAccount tenant) => $"member-{Guid.NewGuid():N}@{tenant.Slug}.test";

    static async Task<JsonElement> MeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/me", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    async Task<JsonElement> MeAsync(string bearer)
    {
        using var client = _app.CreateHttpClient(bearer);
        return await MeAsync(client);
    }

    static async Task<JsonElement[]> MembersAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/members", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.JsonAsync()).Items();
    }

    static async Task<Guid> MembershipIdAsync(HttpClient client, string email) =>
        (await MembersAsync(client)).Single(member => member.GetProperty("email").GetString() == email).GetProperty("id").GetGuid();

    [Fact]
    public async Task An_owner_invites_an_operator_who_accepts_and_signs_in_as_operator()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        var email = NewAddress(tenant);

        using var response = await owner.PostAsJsonAsync("/v1/members", new { email, role = "operator" }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var invited = await response.JsonAsync();
        invited.GetProperty("email").GetString().ShouldBe(email);
        invited.GetProperty("role").GetString().ShouldBe("operator");
        invited.GetProperty("status").GetString().ShouldBe("pending");
        response.Headers.Location!.ToString().ShouldBe($"/v1/invitations/{invited.GetProperty("id").GetGuid()}");
        (await MembersAsync(owner)).Select(member => member.GetProperty("email").GetString()).ShouldBe([tenant.OwnerEmail], "not a member until accepted");

        using var anonymous = _app.CreateHttpClient();
        using var accepted = await anonymous.PostAsJsonAsync("/v1/invitations/accept",
            new { token = await _app.InvitationTokenAsync(email), name = "Olive Operator", password = "my own chosen passphrase" }, Ct);
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(Ct));
        (await MembersAsync(owner)).Select(member => member.GetProperty("email").GetString()).ShouldBe([email, tenant.OwnerEmail], ignoreOrder: true);

        using var newcomer = await _app.SignedInClientAsync(email, "my own chosen passphrase");
        var me = await MeAsync(newcomer);
        me.GetProperty("tenant").GetString().ShouldBe(tenant.Slug);
        me.GetProperty("role").GetString().ShouldBe("operator");
        (await _app.FindPersonAsync(email)).ShouldNotBeNull().DisplayName.ShouldBe("Olive Operator");
    }

    [Fact]
    public async Task An_operator_s_token_acts_as_operator_and_is_refused_with_the_missing_scope_named()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);

        var me = await MeAsync(token);
        me.GetProperty("role").GetString().ShouldBe("operator");
        me.GetProperty("credential").GetProperty("type").GetString().ShouldBe("personal_access_token");
        me.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).ShouldBe(["escalations:read", "escalations:write", "teams:read", "routing:read"], ignoreOrder: true);

        using var response = await token.GetAsync("/v1/api-keys", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString()!.ShouldContain("api_keys:manage");
    }

    [Fact]
    public async Task A_role_change_applies_at_once_to_the_member_s_existing_token()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        using var token = _app.CreateHttpClient(member.Token);
        (await token.GetAsync("/v1/api-keys", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var response = await owner.PatchAsJsonAsync($"/v1/members/{member.MembershipId}", new { role = "admin" }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        (await response.JsonAsync()).GetProperty("role").GetString().ShouldBe("admin");
        (await MeAsync(token)).GetProperty("role").GetString().ShouldBe("admin");
        (await token.GetAsync("/v1/api-keys", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Removing_a_member_ends_their_token_at_once()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "supervisor");
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        using var token = _app.CreateHttpClient(member.Token);
        await MeAsync(token);

        using var response = await owner.DeleteAsync($"/v1/members/{member.MembershipId}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var problem = await (await token.GetAsync("/v1/me", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("not a member");
        (await MembersAsync(owner)).ShouldNotContain(m => m.GetProperty("email").GetString() == member.Email);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_removed_nor_demoted()
    {
        var tenant = await _app.NewTenantAsync();
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        var ownership = await MembershipIdAsync(owner, tenant.OwnerEmail);

        using var removal = await owner.DeleteAsync($"/v1/members/{ownership}", Ct);
        using var demotion = await owner.PatchAsJsonAsync($"/v1/members/{ownership}", new { role = "admin" }, Ct);

        await removal.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await demotion.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await MeAsync(owner)).GetProperty("role").GetString().ShouldBe("owner");
    }

    [Fact]
    public async Task With_a_second_owner_the_first_may_step_down()
    {
        var tenant = await _app.NewTenantAsync();
        var second = await _app.NewMemberAsync(tenant, "owner");
        using var owner = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);
        var ownership = await MembershipIdAsync(owner, tenant.OwnerEmail);

        using var response = await owner.PatchAsJsonAsync($"/v1/members/{ownership}", new { role = "admin" }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await MeAsync(owner)).GetProperty("role").GetString().ShouldBe("admin");
        (await MeAsync(second.Token)).GetProperty("role").GetString().ShouldBe("owner");
    }

    [Fact]
    public async Task An_admin_cannot_grant_owner()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(admin.Token);

        using var addition = await token.PostAsJsonAsync("/v1/members", new { email = NewAddress(tenant), role = "owner" }, Ct);
        using var promotion = await token.PatchAsJsonAsync($"/v1/members/{member.MembershipId}", new { role = "owner" }, Ct);

        await addition.ShouldBeInvalidAsync("role");
        await promotion.ShouldBeInvalidAsync("role");
        (await MembersAsync(token)).Length.ShouldBe(3);
        (await MeAsync(member.Token)).GetProperty("role").GetString().ShouldBe("operator");
    }

    [Fact]
    public async Task An_admin_cannot_remove_an_owner()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        using var token = _app.CreateHttpClient(admin.Token);

        using var response = await token.DeleteAsync($"/v1/members/{await MembershipIdAsync(token, tenant.OwnerEmail)}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_bad_address_or_role_or_a_password_chosen_for_the_invited_person_is_named_and_nobody_is_invited()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await agent.PostAsJsonAsync("/v1/members", new { email = "not-an-email", role = "boss", password = "short" }, Ct);

        await response.ShouldBeInvalidAsync("email", "role", "password");
        (await MembersAsync(agent)).Length.ShouldBe(1);
        (await agent.ListAllAsync("/v1/invitations")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Adding_someone_who_is_already_a_member_is_a_conflict()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var agent = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await agent.PostAsJsonAsync("/v1/members", new { email = member.Email, role = "admin" }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("field").GetString().ShouldBe("email");
    }

    [Fact]
    public async Task A_person_of_another_tenant_accepts_signed_in_and_chooses_a_tenant_at_sign_in()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(second.ApiKey);
        (await agent.PostAsJsonAsync("/v1/members", new { email = first.OwnerEmail, role = "operator" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var signedIn = await _app.SignedInClientAsync(first.OwnerEmail, first.OwnerPassword);
        (await signedIn.PostAsJsonAsync("/v1/invitations/accept", new { token = await _app.InvitationTokenAsync(first.OwnerEmail) }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        using var anonymous = _app.CreateHttpClient();
        using var ambiguous = await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = first.OwnerEmail, password = first.OwnerPassword }, Ct);
        await ambiguous.ShouldBeInvalidAsync("tenant");
        using var browser = await _app.SignedInClientAsync(first.OwnerEmail, first.OwnerPassword, second.Slug);
        var me = await MeAsync(browser);
        me.GetProperty("tenant").GetString().ShouldBe(second.Slug);
        me.GetProperty("role").GetString().ShouldBe("operator");
    }

    [Fact]
    public async Task Another_tenant_s_member_is_not_found()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(first, "operator");
        using var agent = _app.CreateHttpClient(second.ApiKey);

        await (await agent.DeleteAsync($"/v1/members/{member.MembershipId}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agent.PatchAsJsonAsync($"/v1/members/{member.MembershipId}", new { role = "admin" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await MeAsync(member.Token)).GetProperty("role").GetString().ShouldBe("operator");
    }
}
