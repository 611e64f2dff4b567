using AwaitHuman.Portal.Components.Pages.Account;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Portal.Components.Tests.Account;

/// <summary>
/// The account pages' markup: plain forms with fixed field names posting to fixed addresses (apps and
/// the console link to them, and the server reads exactly these fields), a refusal as an alert.
/// The round trip through the server is in AwaitHuman.Server.Tests (SignInPageTests, AccountPagesTests).
/// </summary>
public sealed class AccountPagesTests : BunitContext
{
    const string RequestToken = "request-token-of-this-browser";

    /// <summary>What the server's antiforgery hands a page: a token under ASP.NET Core's form field name.</summary>
    sealed class GivenAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new(RequestToken, "__RequestVerificationToken");
    }

    public AccountPagesTests() => Services.AddSingleton<AntiforgeryStateProvider, GivenAntiforgery>();

    static string[] FieldNames<TPage>(IRenderedComponent<TPage> page) where TPage : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("form input, form textarea").Select(field => field.GetAttribute("name") ?? "").Where(name => name != "__RequestVerificationToken").ToArray();

    [Fact]
    public void The_sign_in_form_posts_plain_fields_to_the_sign_in_address()
    {
        var page = Render<SignInPage>(parameters => parameters.Add(p => p.ReturnUrl, "/connect/authorize?client_id=app&scope=escalations:read"));

        var form = page.Find("form");
        form.GetAttribute("method").ShouldBe("post");
        form.GetAttribute("action").ShouldBe(AccountPages.SignInPath);
        FieldNames(page).ShouldBe(["return_url", "email", "password", "two_factor_code", "tenant", "return_url", "sso_identifier"]);
        page.Find("input[name=return_url]").GetAttribute("value").ShouldBe("/connect/authorize?client_id=app&scope=escalations:read");
        page.Find("input[name=password]").GetAttribute("type").ShouldBe("password");
        page.Find("label[for=password]").TextContent.ShouldBe("Password");
        page.Find("button[type=submit]").TextContent.ShouldBe("Sign in");
        page.Find($"a[href='{AccountPages.ForgotPasswordPath}']").TextContent.ShouldBe("Forgot your password?");
        page.FindAll("[role=alert]").ShouldBeEmpty();
    }

    [Fact]
    public void Single_sign_on_asks_for_the_work_email_and_keeps_where_to_go_after()
    {
        var page = Render<SignInPage>(parameters => parameters.Add(p => p.ReturnUrl, "/admin/members").Add(p => p.SsoIdentifier, "ada@acme.test"));

        var form = page.FindAll("form")[1];
        form.GetAttribute("action").ShouldBe(SingleSignOnPages.FindPath);
        form.QuerySelector("input[name=return_url]")!.GetAttribute("value").ShouldBe("/admin/members");
        form.QuerySelector("input[name=sso_identifier]")!.GetAttribute("value").ShouldBe("ada@acme.test");
        form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value").ShouldBe(RequestToken);
        page.Find("label[for=sso_identifier]").TextContent.ShouldBe("Work email or company slug");
        form.QuerySelector("button[type=submit]")!.TextContent.ShouldBe("Continue with single sign-on");
    }

    [Fact]
    public void Every_account_form_carries_the_antiforgery_token_the_endpoints_check()
    {
        Render<SignInPage>().Find("form input[name=__RequestVerificationToken]").GetAttribute("value").ShouldBe(RequestToken);
        Render<ForgotPasswordPage>().Find("form input[name=__RequestVerificationToken]").GetAttribute("value").ShouldBe(RequestToken);
        Render<ResetPasswordPage>().Find("form input[name=__RequestVerificationToken]").GetAttribute("value").ShouldBe(RequestToken);
    }

    [Fact]
    public void A_refused_sign_in_shows_the_reason_and_keeps_the_address_but_not_the_password()
    {
        var page = Render<SignInPage>(parameters => parameters
            .Add(p => p.Email, "ada@example.test")
            .Add(p => p.Tenant, "acme")
            .Add(p => p.Problem, "The email address or password is wrong."));

        page.Find("[role=alert]").TextContent.ShouldBe("The email address or password is wrong.");
        page.Find("input[name=email]").GetAttribute("value").ShouldBe("ada@example.test");
        page.Find("input[name=tenant]").GetAttribute("value").ShouldBe("acme");
        page.Find("input[name=password]").HasAttribute("value").ShouldBeFalse();
    }

    [Fact]
    public void The_reset_page_says_a_code_was_mailed_before_the_form_and_fills_in_the_mails_code()
    {
        var page = Render<ResetPasswordPage>(parameters => parameters
            .Add(p => p.Email, "ada@example.test")
            .Add(p => p.Code, "CfDJ8+code/with=signs")
            .Add(p => p.Notice, "If that address belongs to an account, we mailed it a code."));

        page.Find("[role=status]").TextContent.ShouldBe("If that address belongs to an account, we mailed it a code.");
        page.Find("form").GetAttribute("action").ShouldBe(AccountPages.ResetPasswordPath);
        FieldNames(page).ShouldBe(["email", "code", "new_password"]);
        page.Find("input[name=code]").GetAttribute("value").ShouldBe("CfDJ8+code/with=signs");
        page.FindAll("[role=alert]").ShouldBeEmpty();
    }

    [Fact]
    public void A_refused_tenant_switch_says_why_and_leads_back()
    {
        var page = Render<SwitchTenantRefusedPage>(parameters => parameters
            .Add(p => p.Problem, "You are not a member of that tenant.")
            .Add(p => p.ReturnUrl, "/escalations/0193"));

        page.Find("h1").TextContent.ShouldBe("Could not switch tenant");
        page.Find("[role=alert]").TextContent.ShouldBe("You are not a member of that tenant.");
        page.Find("a").GetAttribute("href").ShouldBe("/escalations/0193");
    }

    [Fact]
    public void Account_pages_load_no_script()
    {
        Render<SignInPage>().FindAll("script").ShouldBeEmpty();
        Render<ForgotPasswordPage>().FindAll("script").ShouldBeEmpty();
    }
}
