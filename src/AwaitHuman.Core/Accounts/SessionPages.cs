using AwaitHuman.Core.Authentication;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;

namespace AwaitHuman.Core.Accounts;

/// <summary>
/// The console's tenant switcher and sign-out button as plain form posts: the same switch and
/// sign-out as <c>/v1/auth/switch-tenant</c> and <c>/v1/auth/logout</c>, with antiforgery and redirects.
/// </summary>
public static class SessionPages
{
    public const string SwitchTenantPath = "/account/switch-tenant";
    public const string LogoutPath = "/account/logout";

    [WolverinePost(SwitchTenantPath, OperationId = "SwitchTenantWithForm")]
    [ExcludeFromDescription]
    public static async Task<IResult> SwitchTenant(
        HttpContext context, IAntiforgery antiforgery, UserManager<Person> people, SignInManager<Person> signIn, IDocumentStore store, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPage.ExpiredForm("previous");
        var form = await context.Request.ReadFormAsync(ct);
        var returnUrl = AccountPage.LocalOr(form["return_url"], "/");
        if (context.User.Identity?.IsAuthenticated != true)
            return Results.LocalRedirect($"{SignInPage.Path}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

        var result = await SignInEndpoints.SwitchTenant(new SwitchTenant(form["tenant"]), people, signIn, store, context, ct);
        if (result is Ok<SignedIn>) return Results.LocalRedirect(returnUrl);
        return AccountPage.Render("Switch tenant", "Could not switch tenant", $"""
            {AccountPage.Alert(SignInEndpoints.Explain(result))}
            <p><a href="{AccountPage.Encode(returnUrl)}">Back</a></p>
            """, StatusCodes.Status400BadRequest);
    }

    [WolverinePost(LogoutPath, OperationId = "SignOutWithForm")]
    [ExcludeFromDescription]
    public static async Task<IResult> Logout(HttpContext context, IAntiforgery antiforgery, SignInManager<Person> signIn, UserManager<Person> people)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPage.ExpiredForm("previous");
        await SignInEndpoints.EndSessionsAsync(signIn, people, context);
        return Results.LocalRedirect(SignInPage.Path);
    }
}
