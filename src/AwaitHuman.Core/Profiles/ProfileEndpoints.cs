using AwaitHuman.Core.Accounts;
using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.Profiles;

/// <summary>The signed-in person's own profile; the portal's profile page runs the same <see cref="ProfileUseCases"/>.</summary>
public static class ProfileEndpoints
{
    const string Tag = "Accounts";

    [WolverineGet("/v1/me/profile", OperationId = "GetMyProfile")]
    [Authorize(Policy = Policies.Person)]
    [Tags(Tag)]
    [EndpointSummary("Your display name, time zone, two-factor state and notification preferences")]
    [ProducesResponseType<ProfileView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(ProfileUseCases profiles, HttpContext context, CancellationToken ct) =>
        Answer(await profiles.GetAsync(Caller.Of(context).PersonId!.Value, ct));

    [WolverinePatch("/v1/me/profile", OperationId = "UpdateMyProfile")]
    [Authorize(Policy = Policies.Person)]
    [Tags(Tag)]
    [EndpointSummary("Changes the fields given; customers see the display name instead of your email")]
    [ProducesResponseType<ProfileView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Update(UpdateProfile request, ProfileUseCases profiles, HttpContext context, CancellationToken ct) =>
        Answer(await profiles.UpdateAsync(Caller.Of(context).PersonId!.Value, request, ct));

    [WolverinePost("/v1/me/password", OperationId = "ChangeMyPassword")]
    [Authorize(Policy = Policies.Person)]
    [Tags(Tag)]
    [EndpointSummary("Changes your password; your other sessions end")]
    [ProducesResponseType<ProfileView>(StatusCodes.Status200OK)]
    public static async Task<IResult> ChangePassword(
        ChangePassword request, ProfileUseCases profiles, SignInManager<Person> signIn, HttpContext context, CancellationToken ct) =>
        Answer(await profiles.ChangePasswordAsync(Caller.Of(context).PersonId!.Value, request, signIn, context, ct));

    static IResult Answer(UseCases.Outcome<ProfileView> outcome) => Problems.Of(outcome);
}
