using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace AwaitHuman.Core.CannedReplies;

/// <summary>
/// Canned replies over HTTP; the functions are <see cref="CannedReplyAdministration"/>'s, which the
/// canned replies page and the composer call too. Reading needs <c>escalations:read</c> (operators
/// use them); changing needs <c>canned_replies:manage</c>, and a supervisor only changes their teams' replies.
/// </summary>
public static class CannedReplyEndpoints
{
    const string Tag = "Canned replies";

    [WolverineGet("/v1/canned-replies", OperationId = "ListCannedReplies")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags(Tag)]
    [EndpointSummary("The canned replies the caller may use, by title; pass next_cursor back as cursor for the next page")]
    [ProducesResponseType<ListPage<CannedReplyInfo>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List([FromQuery(Name = "team_id")] Guid? teamId, string? cursor, int? limit,
        CannedReplyAdministration replies, HttpContext context, CancellationToken ct) =>
        Problems.Of(await replies.ListAsync(Caller.Of(context), teamId, cursor, limit, ct));

    [WolverineGet("/v1/canned-replies/{id}", OperationId = "GetCannedReply")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags(Tag)]
    [EndpointSummary("One canned reply")]
    [ProducesResponseType<CannedReplyInfo>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, CannedReplyAdministration replies, HttpContext context, CancellationToken ct) =>
        Problems.Of(await replies.GetAsync(Caller.Of(context), id, ct));

    [WolverinePost("/v1/canned-replies", OperationId = "CreateCannedReply")]
    [Authorize(Policy = Policies.CannedRepliesManage)]
    [Tags(Tag)]
    [EndpointSummary("Creates a canned reply for the tenant or, with team_id, for one team")]
    [ProducesResponseType<CannedReplyInfo>(StatusCodes.Status201Created)]
    public static async Task<IResult> Create(CannedReplyInput request, CannedReplyAdministration replies, HttpContext context, CancellationToken ct) =>
        Problems.Of(await replies.CreateAsync(Caller.Of(context), request, ct), reply => Results.Created($"/v1/canned-replies/{reply.Id}", reply));

    [WolverinePut("/v1/canned-replies/{id}", OperationId = "ReplaceCannedReply")]
    [Authorize(Policy = Policies.CannedRepliesManage)]
    [Tags(Tag)]
    [EndpointSummary("Replaces a canned reply's title, shortcut, text and team")]
    [ProducesResponseType<CannedReplyInfo>(StatusCodes.Status200OK)]
    public static async Task<IResult> Replace(Guid id, CannedReplyInput request, CannedReplyAdministration replies, HttpContext context, CancellationToken ct) =>
        Problems.Of(await replies.ReplaceAsync(Caller.Of(context), id, request, ct));

    [WolverineDelete("/v1/canned-replies/{id}", OperationId = "DeleteCannedReply")]
    [Authorize(Policy = Policies.CannedRepliesManage)]
    [Tags(Tag)]
    [EndpointSummary("Deletes a canned reply")]
    public static async Task<IResult> Delete(Guid id, CannedReplyAdministration replies, HttpContext context, CancellationToken ct) =>
        Problems.Of(await replies.DeleteAsync(Caller.Of(context), id, ct), _ => Results.NoContent());
}
