using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.PersonalAccessTokens;

public class PersonalAccessTokenTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonElement> CreateAsync(HttpClient person, string name, int? expiresInDays = null)
    {
        using var response = await person.PostAsJsonAsync("/v1/personal-access-tokens", new { name, expires_in_days = expiresInDays }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    static async Task<(string Text, JsonElement[] Tokens)> ListAsync(HttpClient person)
    {
        using var response = await person.GetAsync("/v1/personal-access-tokens", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (text, JsonDocument.Parse(text).RootElement.Items());
    }

    [Fact]
    public async Task A_token_made_in_a_session_is_shown_once_and_acts_as_the_person()
    {
        var tenant = await _app.NewTenantAsync();
        using var browser = await _app.SignedInClientAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        var created = await CreateAsync(browser, "deploy script");

        var secret = created.GetProperty("token").GetString()!;
        secret.ShouldStartWith("ahp_");
        created.GetProperty("hint").GetString().ShouldBe(secret[..8] + "...");
        created.GetProperty("expires_at").ValueKind.ShouldBe(JsonValueKind.Null);
        using var script = _app.CreateHttpClient(secret);
        var me = await (await script.GetAsync("/v1/me", Ct)).JsonAsync();
        me.GetProperty("credential").GetProperty("type").GetString().ShouldBe("personal_access_token");
        me.GetProperty("credential").GetProperty("id").GetString().ShouldBe(created.GetProperty("id").GetString());
        me.GetProperty("person_id").GetGuid().ShouldBe(tenant.OwnerId);
        me.GetProperty("role").GetString().ShouldBe("owner");
        me.GetProperty("tenant").GetString().ShouldBe(tenant.Slug);

        var (text, tokens) = await ListAsync(browser);
        text.ShouldNotContain(secret);
        var listed = tokens.Single();
        listed.GetProperty("id").GetString().ShouldBe(created.GetProperty("id").GetString());
        listed.GetProperty("name").GetString().ShouldBe("deploy script");
        listed.GetProperty("hint").GetString().ShouldBe(secret[..8] + "...");
        listed.TryGetProperty("token", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_token_can_make_another_that_expires()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);

        var created = await CreateAsync(token, "nightly job", expiresInDays: 30);

        created.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromMinutes(5));
        using var nightly = _app.CreateHttpClient(created.GetProperty("token").GetString()!);
        (await (await nightly.GetAsync("/v1/me", Ct)).JsonAsync()).GetProperty("person_id").GetGuid().ShouldBe(member.PersonId);
        (await ListAsync(token)).Tokens.Length.ShouldBe(2);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once_and_listed_as_revoked()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        var spare = await CreateAsync(token, "spare");
        using var spareClient = _app.CreateHttpClient(spare.GetProperty("token").GetString()!);
        (await spareClient.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await token.DeleteAsync($"/v1/personal-access-tokens/{spare.GetProperty("id").GetString()}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var problem = await (await spareClient.GetAsync("/v1/me", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("revoked");
        var revoked = (await ListAsync(token)).Tokens.Single(t => t.GetProperty("id").GetString() == spare.GetProperty("id").GetString());
        revoked.GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.String);
        (await token.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_can_revoke_itself()
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);
        var id = (await ListAsync(token)).Tokens.Single().GetProperty("id").GetString();

        (await token.DeleteAsync($"/v1/personal-access-tokens/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await token.GetAsync("/v1/me", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_operator_cannot_revoke_another_person_s_token()
    {
        var tenant = await _app.NewTenantAsync();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        var colleague = await _app.NewMemberAsync(tenant, "operator");
        using var colleagueToken = _app.CreateHttpClient(colleague.Token);
        var colleagueTokenId = (await ListAsync(colleagueToken)).Tokens.Single().GetProperty("id").GetString();
        using var token = _app.CreateHttpClient(operatorMember.Token);

        using var response = await token.DeleteAsync($"/v1/personal-access-tokens/{colleagueTokenId}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await colleagueToken.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_may_revoke_a_member_s_token()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var memberToken = _app.CreateHttpClient(member.Token);
        var memberTokenId = (await ListAsync(memberToken)).Tokens.Single().GetProperty("id").GetString();
        using var adminToken = _app.CreateHttpClient(admin.Token);

        (await adminToken.DeleteAsync($"/v1/personal-access-tokens/{memberTokenId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await memberToken.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_cannot_revoke_an_owner_s_token()
    {
        var tenant = await _app.NewTenantAsync();
        var admin = await _app.NewMemberAsync(tenant, "admin");
        var owner = await _app.NewMemberAsync(tenant, "owner");
        using var ownerToken = _app.CreateHttpClient(owner.Token);
        var ownerTokenId = (await ListAsync(ownerToken)).Tokens.Single().GetProperty("id").GetString();
        using var adminToken = _app.CreateHttpClient(admin.Token);

        using var refused = await adminToken.DeleteAsync($"/v1/personal-access-tokens/{ownerTokenId}", Ct);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await ownerToken.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_tenant_s_token_is_not_found()
    {
        var first = await _app.NewTenantAsync();
        var second = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(first, "operator");
        var secondAdmin = await _app.NewMemberAsync(second, "admin");
        using var memberToken = _app.CreateHttpClient(member.Token);
        var memberTokenId = (await ListAsync(memberToken)).Tokens.Single().GetProperty("id").GetString();
        using var otherAdmin = _app.CreateHttpClient(secondAdmin.Token);

        await (await otherAdmin.DeleteAsync($"/v1/personal-access-tokens/{memberTokenId}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await memberToken.GetAsync("/v1/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("name", """{"expires_in_days": 30}""")]
    [InlineData("name", """{"name": "   "}""")]
    [InlineData("expires_in_days", """{"name": "script", "expires_in_days": 0}""")]
    [InlineData("expires_in_days", """{"name": "script", "expires_in_days": -1}""")]
    [InlineData("expires_in_days", """{"name": "script", "expires_in_days": 367}""")]
    public async Task A_bad_request_is_refused_naming_the_field_and_makes_no_token(string field, string json)
    {
        var tenant = await _app.NewTenantAsync();
        var member = await _app.NewMemberAsync(tenant, "operator");
        using var token = _app.CreateHttpClient(member.Token);

        using var response = await token.PostAsync("/v1/personal-access-tokens", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        await response.ShouldBeInvalidAsync(field);
        (await ListAsync(token)).Tokens.Length.ShouldBe(1);
    }

    [Fact]
    public async Task An_api_key_is_not_a_person_and_cannot_make_a_personal_token()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient(tenant.ApiKey);

        using var response = await agent.PostAsJsonAsync("/v1/personal-access-tokens", new { name = "sneaky" }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_made_up_token_is_refused_with_problem_details()
    {
        using var client = _app.CreateHttpClient("ahp_" + new string('x', 32));

        var problem = await (await client.GetAsync("/v1/me", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        problem.GetProperty("detail").GetString()!.ShouldContain("not valid");
    }
}
