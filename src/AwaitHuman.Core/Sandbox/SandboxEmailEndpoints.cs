using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace AwaitHuman.Core.Sandbox;

public static class SandboxEmailEndpoints
{
    /// <summary>
    /// The sandbox outbox, newest first. It exists only while mail goes to the sandbox (no email
    /// provider configured), so nothing real is ever exposed here.
    /// </summary>
    [WolverineGet("/sandbox/emails", OperationId = "ListSandboxEmails")]
    [Tags("Sandbox")]
    [EndpointSummary("Lists the mails the sandbox would have sent to one address")]
    public static async Task<IResult> List(string? to, IDocumentStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(to))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["Name the address: /sandbox/emails?to=someone@example.com"] });

        await using var session = store.QuerySession();
        var address = to.Trim().ToLowerInvariant();
        var mails = await session.Query<SandboxEmail>().Where(mail => mail.To == address).OrderByDescending(mail => mail.SentAt).Take(50).ToListAsync(ct);
        return Results.Ok(mails);
    }
}
