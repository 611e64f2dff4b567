using AwaitHuman.Core.Authentication;
using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace AwaitHuman.Core.Onboarding.Invitations;

/// <param name="Tenant">The slug of the tenant joined; sign in to it as usual.</param>
public sealed record InvitationAcceptedAnswer(string Tenant, string Role, Guid MembershipId);

public static class InvitationEndpoints
{
    [WolverinePost("/v1/members", OperationId = "InviteMember")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Invites a person by email with a role; they become a member when they accept the mailed link")]
    public static async Task<IResult> Invite(InviteMember request, MemberInvitations invitations, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await invitations.InviteAsync(caller.TenantId, caller.Role, request, caller.AsActor(context), ct),
            invitation => Results.Created($"/v1/invitations/{invitation.Id}", invitation));
    }

    [WolverineGet("/v1/invitations", OperationId = "ListInvitations")]
    [Authorize(Policy = Policies.MembersRead)]
    [Tags("Members")]
    [EndpointSummary("The tenant's pending invitations, by email")]
    [ProducesResponseType<ListPage<InvitationInfo>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(int? limit, string? cursor, MemberInvitations invitations, HttpContext context, CancellationToken ct) =>
        Paging.Refuse(limit, cursor, out var page)
            ?? Results.Ok(Paging.Slice(await invitations.PendingAsync(Caller.Of(context).TenantId, ct), invitation => Paging.ByName(invitation.Email, invitation.Id), page));

    [WolverinePost("/v1/invitations/{id}/resend", OperationId = "ResendInvitation")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Mails the invitation again with a new link; the previous link stops working")]
    public static async Task<IResult> Resend(Guid id, MemberInvitations invitations, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await invitations.ResendAsync(caller.TenantId, id, caller.AsActor(context), ct));
    }

    [WolverineDelete("/v1/invitations/{id}", OperationId = "RevokeInvitation")]
    [Authorize(Policy = Policies.MembersManage)]
    [Tags("Members")]
    [EndpointSummary("Revokes a pending invitation; its link stops working")]
    public static async Task<IResult> Revoke(Guid id, MemberInvitations invitations, HttpContext context, CancellationToken ct)
    {
        var caller = Caller.Of(context);
        return Problems.Of(await invitations.RevokeAsync(caller.TenantId, id, caller.AsActor(context), ct), _ => Results.NoContent());
    }

    [WolverinePost("/v1/invitations/accept", OperationId = "AcceptInvitation")]
    [AllowAnonymous]
    [EnableRateLimiting(SignInEndpoints.RateLimitPolicy)]
    [Tags("Members")]
    [EndpointSummary("Accepts an invitation with the mailed token: a new person sets a password; someone with an account calls signed in as that person")]
    public static async Task<IResult> Accept(AcceptInvitation request, MemberInvitations invitations, HttpContext context, CancellationToken ct)
    {
        var accepted = await invitations.AcceptAsync(request, Caller.From(context.User)?.PersonId, Actor.SourceIpOf(context), ct);
        return Problems.Of(accepted, value => Results.Ok(new InvitationAcceptedAnswer(value.TenantSlug, value.Role, value.MembershipId)));
    }
}
