using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Onboarding.Invitations;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AwaitHuman.Portal.Components.Pages.Account;

/// <summary>
/// The page an invitation's mail links to: a static page like the other account pages, whose POST
/// runs the same acceptance as <c>/v1/invitations/accept</c>, then opens the console in the tenant joined.
/// </summary>
public static class InvitationPages
{
    public const string AcceptPath = MemberInvitations.AcceptPath;

    public static IEndpointRouteBuilder MapInvitationPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet(AcceptPath, ShowAsync);
        pages.MapPost(AcceptPath, AcceptAsync).RequireRateLimiting(SignInEndpoints.RateLimitPolicy);
        return app;
    }

    static async Task<IResult> ShowAsync(string? token, HttpContext context, [FromServices] MemberInvitations invitations,
        [FromServices] UserManager<Person> people, CancellationToken ct)
    {
        var preview = await invitations.PreviewAsync(token, ct);
        if (!preview.Succeeded) return Page(new { Token = token, Problem = ProblemOf(preview.Failure) }, StatusCodes.Status404NotFound);
        return Page(new { Token = token, Invitation = preview.Value, SignedInAsInvited = await IsSignedInAsAsync(context, people, preview.Value.Email) });
    }

    static async Task<IResult> AcceptAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] MemberInvitations invitations,
        [FromServices] UserManager<Person> people, [FromServices] SignInManager<Person> signIn, [FromServices] IDocumentStore store, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return AccountPages.ExpiredForm("invitation");
        var form = await context.Request.ReadFormAsync(ct);
        var token = form["token"].ToString();
        var name = form["name"].ToString().Trim();

        var accepted = await invitations.AcceptAsync(new AcceptInvitation(token, name, form["password"]), Caller.From(context.User)?.PersonId, Actor.SourceIpOf(context), ct);
        if (!accepted.Succeeded)
        {
            var preview = await invitations.PreviewAsync(token, ct);
            return Page(new
            {
                Token = token, Name = name,
                Invitation = preview.Succeeded ? preview.Value : null,
                SignedInAsInvited = preview.Succeeded && await IsSignedInAsAsync(context, people, preview.Value.Email),
                Errors = accepted.Failure is Failure.Invalid invalid ? new Dictionary<string, string[]>(invalid.Errors) : null,
                Problem = ProblemOf(accepted.Failure),
            }, StatusCodes.Status400BadRequest);
        }

        // The mailed link proved the address of someone new; someone with an account was signed in already.
        var session = await SignInUseCases.StartSessionAsync(accepted.Value.Person, accepted.Value.TenantSlug, signIn, store, ct);
        return Results.LocalRedirect(session.Succeeded ? "/" : AccountPages.SignInPath);
    }

    static string ProblemOf(Failure failure) => failure switch
    {
        Failure.Invalid invalid when invalid.Errors.TryGetValue("token", out var why) => why[0],
        Failure.Invalid => "Please correct the fields marked below.",
        _ => failure.Message,
    };

    static async Task<bool> IsSignedInAsAsync(HttpContext context, UserManager<Person> people, string email) =>
        Caller.From(context.User) is { PersonId: { } personId } && (await people.FindByIdAsync(personId.ToString()))?.Email == email;

    static RazorComponentResult<AcceptInvitationPage> Page(object parameters, int status = StatusCodes.Status200OK) => AccountPages.Page<AcceptInvitationPage>(parameters, status);
}
