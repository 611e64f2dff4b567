using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Channels.Receiving;

public static class AttachmentEndpoint
{
    [WolverineGet("/v1/escalations/{id}/attachments/{attachmentId}", OperationId = "GetCustomerAttachment")]
    [Authorize(Policy = Policies.EscalationsRead)]
    [Tags("Escalations")]
    [EndpointSummary("A file the customer sent, as they sent it (always as a download, never rendered inline)")]
    public static async Task<IResult> Get(Guid id, Guid attachmentId, IQuerySession session, CancellationToken ct)
    {
        var attachment = await session.LoadAsync<CustomerAttachment>(attachmentId, ct);
        if (attachment is null || attachment.EscalationId != id) return Problems.NotFound("attachment");
        // A customer's HTML or SVG must not run in the console's origin: served as a download, typed as sent.
        return Results.File(attachment.Content, attachment.ContentType, attachment.FileName);
    }
}
