using System.Net;
using AwaitHuman.Core.Security;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.OAuth;

/// <summary>An app acting for a signed-in person: authorization code with PKCE, then refresh tokens.</summary>
public class AuthorizationCodeTests(ServerTestsHost host) : IAsyncLifetime
{
    const string ReadAndRefresh = "escalations:read offline_access";

    AwaitHumanApp App => host.App;
    TestTenantAccount _tenant = null!;
    TestOAuthClient _app = null!;
    TestMember _operator = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = await App.NewTenantAsync();
        _app = await App.NewPublicClientAsync(_tenant.ApiKey, Scopes.EscalationsRead, Scopes.MembersRead);
        _operator = await App.NewMemberAsync(_tenant, Roles.Operator);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_signed_in_person_is_sent_back_to_the_app_with_a_code_and_the_state()
    {
        using var browser = await App.SignedInBrowserAsync(_operator.Email, _operator.Password);

        using var response = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(_app, ReadAndRefresh, Pkce.New(), state: "state-42"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(OAuthScenarios.RedirectUri);
        var redirect = OAuthScenarios.RedirectParameters(response);
        redirect["code"].ShouldNotBeNullOrWhiteSpace();
        redirect["state"].ShouldBe("state-42");
    }

    [Fact]
    public async Task The_code_and_verifier_give_an_access_token_that_acts_as_the_person_and_a_refresh_token()
    {
        var token = await App.AuthorizationCodeTokenAsync(_app, _operator.Email, _operator.Password, ReadAndRefresh);

        token.Status.ShouldBe(HttpStatusCode.OK, token.Error);
        token.RefreshToken.ShouldNotBeNullOrWhiteSpace();
        var me = await App.MeAsync(token.AccessToken!);
        me.GetProperty("tenant").GetString().ShouldBe(_tenant.Slug);
        me.GetProperty("credential").GetProperty("type").GetString().ShouldBe(CredentialTypes.OAuthUser);
        me.GetProperty("role").GetString().ShouldBe(Roles.Operator);
        me.GetProperty("person_id").GetGuid().ShouldBe(_operator.PersonId);
        me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([Scopes.EscalationsRead]);
    }

    [Fact]
    public async Task The_token_carries_only_scopes_both_granted_and_in_the_persons_role()
    {
        // The app may ask for members:read, but an operator's role does not include it.
        var token = await App.AuthorizationCodeTokenAsync(_app, _operator.Email, _operator.Password, $"{Scopes.EscalationsRead} {Scopes.MembersRead}");

        var me = await App.MeAsync(token.AccessToken!);
        me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([Scopes.EscalationsRead]);
        token.RefreshToken.ShouldBeNull("offline_access was not asked for");
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_invalid_grant()
    {
        using var browser = await App.SignedInBrowserAsync(_operator.Email, _operator.Password);
        using var authorized = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(_app, ReadAndRefresh, Pkce.New()), TestContext.Current.CancellationToken);
        var code = OAuthScenarios.RedirectParameters(authorized)["code"];

        var token = await App.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", _app.ClientId), ("code", code), ("redirect_uri", OAuthScenarios.RedirectUri), ("code_verifier", Pkce.New().Verifier));

        token.Status.ShouldBe(HttpStatusCode.BadRequest);
        token.Error.ShouldBe("invalid_grant");
        token.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task A_code_works_once()
    {
        using var browser = await App.SignedInBrowserAsync(_operator.Email, _operator.Password);
        var pkce = Pkce.New();
        using var authorized = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(_app, ReadAndRefresh, pkce), TestContext.Current.CancellationToken);
        (string, string)[] exchange =
        [
            ("grant_type", "authorization_code"), ("client_id", _app.ClientId), ("code", OAuthScenarios.RedirectParameters(authorized)["code"]),
            ("redirect_uri", OAuthScenarios.RedirectUri), ("code_verifier", pkce.Verifier),
        ];
        (await App.RequestTokenAsync(exchange)).Status.ShouldBe(HttpStatusCode.OK);

        var again = await App.RequestTokenAsync(exchange);

        again.Error.ShouldBe("invalid_grant");
        again.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task An_authorize_request_without_pkce_is_refused()
    {
        using var browser = await App.SignedInBrowserAsync(_operator.Email, _operator.Password);

        using var response = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(_app, ReadAndRefresh, pkce: null), TestContext.Current.CancellationToken);

        // OpenIddict answers a request that fails validation itself, never redirecting it to the app.
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("error:invalid_request");
    }

    [Fact]
    public async Task A_scope_the_app_was_not_given_is_invalid_scope()
    {
        using var browser = await App.SignedInBrowserAsync(_operator.Email, _operator.Password);

        using var response = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(_app, Scopes.EscalationsWrite, Pkce.New()), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("error:invalid_scope");
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_the_login_page()
    {
        using var browser = App.AnonymousBrowser();
        var authorize = OAuthScenarios.AuthorizeUrl(_app, ReadAndRefresh, Pkce.New());

        using var response = await browser.GetAsync(authorize, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = new Uri(App.Address, response.Headers.Location!);
        location.AbsolutePath.ShouldBe("/account/login");
        OAuthScenarios.QueryOf(location)["ReturnUrl"].ShouldBe(authorize);
    }

    [Fact]
    public async Task A_person_of_another_tenant_is_refused_with_access_denied()
    {
        var other = await App.NewTenantAsync();
        using var browser = await App.SignedInBrowserAsync(other.OwnerEmail, other.OwnerPassword);

        using var response = await browser.GetAsync(OAuthScenarios.AuthorizeUrl(_app, ReadAndRefresh, Pkce.New()), TestContext.Current.CancellationToken);

        var redirect = OAuthScenarios.RedirectParameters(response);
        redirect["error"].ShouldBe("access_denied");
        redirect.ShouldNotContainKey("code");
    }

    [Fact]
    public async Task The_refresh_token_gives_a_new_access_token()
    {
        var first = await App.AuthorizationCodeTokenAsync(_app, _operator.Email, _operator.Password, ReadAndRefresh);

        var refreshed = await App.RequestTokenAsync(("grant_type", "refresh_token"), ("client_id", _app.ClientId), ("refresh_token", first.RefreshToken!));

        refreshed.Status.ShouldBe(HttpStatusCode.OK, refreshed.Error);
        refreshed.AccessToken.ShouldNotBe(first.AccessToken);
        var me = await App.MeAsync(refreshed.AccessToken!);
        me.GetProperty("person_id").GetGuid().ShouldBe(_operator.PersonId);
        me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([Scopes.EscalationsRead]);
    }

    [Fact]
    public async Task Removing_the_member_refuses_their_refresh_token_and_their_access_token_at_once()
    {
        var member = await App.NewMemberAsync(_tenant, Roles.Operator);
        var token = await App.AuthorizationCodeTokenAsync(_app, member.Email, member.Password, ReadAndRefresh);
        using var asMember = App.CreateHttpClient(token.AccessToken!);
        (await asMember.GetAsync("/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var owner = App.CreateHttpClient(_tenant.ApiKey);
        (await owner.DeleteAsync($"/v1/members/{member.MembershipId}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await asMember.GetAsync("/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var refreshed = await App.RequestTokenAsync(("grant_type", "refresh_token"), ("client_id", _app.ClientId), ("refresh_token", token.RefreshToken!));
        refreshed.Status.ShouldBe(HttpStatusCode.BadRequest);
        refreshed.Error.ShouldBe("invalid_grant");
        refreshed.AccessToken.ShouldBeNull();
    }
}
