using System.Net;
using AwaitHuman.Server.Tests.OAuth;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Portal;

/// <summary>
/// How the one server host serves the console to a browser, before any script runs: who gets a page,
/// who is sent to sign in, who is refused, and that the console's scripts and styles are there.
/// (The console itself is driven in Chromium by AwaitHuman.Portal.Tests.)
/// </summary>
public sealed class ConsoleHostingTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/?view=unassigned")]
    [InlineData("/escalations/0199e3c2-0000-7000-8000-000000000000")]
    [InlineData("/admin/members")]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_and_back_to_the_page_they_asked_for(string path)
    {
        using var browser = _app.AnonymousBrowser();

        using var response = await browser.GetAsync(path, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe($"/account/login?returnUrl={Uri.EscapeDataString(path)}");
    }

    [Fact]
    public async Task An_operator_gets_the_inbox_rendered_on_the_server_with_the_console_scripts()
    {
        var tenant = await _app.NewTenantAsync();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var browser = await _app.SignedInBrowserAsync(operatorMember.Email, operatorMember.Password);

        using var response = await browser.GetAsync("/", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("<h1");
        html.ShouldContain("Inbox");
        html.ShouldContain("_framework/blazor.web");
        html.ShouldContain("MudBlazor");
        html.ShouldContain("console.css");
    }

    [Fact]
    public async Task An_operator_opening_an_admin_page_is_refused_with_a_page_that_says_so()
    {
        var tenant = await _app.NewTenantAsync();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var browser = await _app.SignedInBrowserAsync(operatorMember.Email, operatorMember.Password);

        using var response = await browser.GetAsync("/admin/members", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("Not allowed");
        html.ShouldNotContain(tenant.OwnerEmail);
    }

    [Fact]
    public async Task An_admin_opens_the_admin_page_and_sees_only_their_tenants_members()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        using var browser = await _app.SignedInBrowserAsync(tenant.OwnerEmail, tenant.OwnerPassword);

        using var response = await browser.GetAsync("/admin/members", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain(">Members</h1>");
        html.ShouldContain(tenant.OwnerEmail);
        html.ShouldNotContain(other.OwnerEmail);
    }

    [Fact]
    public async Task An_agent_s_api_key_opens_no_console_page()
    {
        var tenant = await _app.NewTenantAsync();
        using var agent = _app.CreateHttpClient();
        agent.DefaultRequestHeaders.Authorization = new("Bearer", tenant.ApiKey);

        using var response = await agent.GetAsync("/", Ct);

        // A machine credential has no role: the console refuses it like an operator on an admin page.
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/_framework/blazor.web.js", "javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "javascript")]
    [InlineData("/_content/AwaitHuman.Portal/console.css", "css")]
    [InlineData("/_content/AwaitHuman.Portal/console.js", "javascript")]
    [InlineData("/_content/AwaitHuman.Portal/AwaitHuman.Portal.bundle.scp.css", "css")]
    [InlineData("/_content/AwaitHuman.Portal/sandbox-device.js", "javascript")]
    public async Task The_console_s_scripts_and_styles_are_served_by_the_host(string path, string type)
    {
        using var client = _app.CreateHttpClient();

        using var response = await client.GetAsync(path, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType!.ShouldContain(type);
    }
}
