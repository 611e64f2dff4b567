using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Core.Tenancy;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AwaitHuman.Portal.Components.Pages.Account;

/// <summary>
/// Single sign-on from the sign-in page: the person types their work email (or the company's slug),
/// is sent to that company's identity provider, and comes back to its callback, which the OpenID
/// Connect handler (<see cref="SsoScheme"/>) answers.
/// </summary>
public static class SingleSignOnPages
{
    public const string FindPath = SsoPaths.Prefix;

    public static IEndpointRouteBuilder MapSingleSignOnPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapPost(FindPath, FindAsync).RequireRateLimiting(SignInEndpoints.RateLimitPolicy);
        pages.MapGet(SsoPaths.Prefix + "/{slug}/start", Start).RequireRateLimiting(SignInEndpoints.RateLimitPolicy);
        return app;
    }

    /// <summary>Which company's provider an email's domain (or a slug) belongs to.</summary>
    static async Task<IResult> FindAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] IDocumentStore store, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("sign-in");
        var form = await context.Request.ReadFormAsync(ct);
        var identifier = form["sso_identifier"].ToString().Trim();
        var returnUrl = form["return_url"].ToString();
        if (identifier.Length == 0) return Refused(identifier, returnUrl, "Enter your work email or your company's slug.");

        await using var query = store.QuerySession();
        string? slug = null;
        if (identifier.Contains('@'))
        {
            if (await SingleSignOnUseCases.ForEmailAsync(query, identifier, ct) is { } connection
                && await query.FindByIdAcrossTenantsAsync(Guid.Parse(connection.TenantId), ct) is { Status: TenantStatus.Active } tenant)
                slug = tenant.Slug;
        }
        else if (await query.FindBySlugAcrossTenantsAsync(identifier.ToLowerInvariant(), ct) is { Status: TenantStatus.Active } tenant)
        {
            await using var tenantQuery = store.QuerySession(tenant.TenantId);
            if (await SingleSignOnUseCases.FindAsync(tenantQuery, ct) is not null) slug = tenant.Slug;
        }
        if (slug is null)
            return Refused(identifier, returnUrl, identifier.Contains('@')
                ? $"No company signs in with single sign-on for {SsoConnection.DomainOf(identifier) ?? identifier}. Sign in with your password above."
                : $"No company with the slug '{identifier}' signs in with single sign-on.");

        var hint = identifier.Contains('@') ? $"&login_hint={Uri.EscapeDataString(identifier)}" : "";
        return Results.LocalRedirect($"{SsoPaths.Start(slug)}?return_url={Uri.EscapeDataString(LocalOr(returnUrl, "/"))}{hint}");
    }

    /// <summary>Sends the browser to the company's identity provider; its options were loaded for this address by <see cref="SsoRequests"/>.</summary>
    static IResult Start(HttpContext context, [FromQuery(Name = "return_url")] string? returnUrl, [FromQuery(Name = "login_hint")] string? loginHint) =>
        context.Features.Get<SsoRequest>() is { } sso
            ? Results.Challenge(SsoEvents.Challenge(sso.Tenant.TenantId, loginHint, LocalOr(returnUrl, "/")), [SsoScheme.Name])
            : Results.LocalRedirect($"{AccountPages.SignInPath}?sso={SsoRefusals.NotConfigured}");

    static IResult Refused(string identifier, string? returnUrl, string problem) =>
        AccountPages.Page<SignInPage>(new { ReturnUrl = returnUrl, SsoIdentifier = identifier, Problem = problem }, StatusCodes.Status400BadRequest);

    static string LocalOr(string? url, string fallback) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : fallback;
}
