using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Wolverine.Http;

namespace AwaitHuman.Core.AccountMailing;

public static class SandboxEmailEndpoints
{
    /// <summary>The setting that opens the outbox; on in Development (appsettings.Development.json), off elsewhere.</summary>
    public const string ExposeSetting = "Sandbox:ExposeMailbox";

    /// <summary>
    /// The sandbox outbox, newest first, for newcomers and tests. Anyone who can reach it reads every
    /// code mailed to an address, so it is closed unless <see cref="ExposeSetting"/> is true.
    /// </summary>
    [WolverineGet("/sandbox/emails", OperationId = "ListSandboxEmails")]
    [Tags("Sandbox")]
    [EndpointSummary("Lists the mails the sandbox would have sent to one address")]
    public static async Task<IResult> List(string? to, IDocumentStore store, IConfiguration configuration, CancellationToken ct)
    {
        if (!configuration.GetValue<bool>(ExposeSetting))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The sandbox mailbox is closed here ({ExposeSetting}).");

        if (string.IsNullOrWhiteSpace(to))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["Name the address: /sandbox/emails?to=someone@example.com"] });

        await using var session = store.QuerySession();
        var address = to.Trim().ToLowerInvariant();
        var mails = await session.Query<SandboxEmail>().Where(mail => mail.To == address).OrderByDescending(mail => mail.SentAt).Take(50).ToListAsync(ct);
        return Results.Ok(mails);
    }
}
