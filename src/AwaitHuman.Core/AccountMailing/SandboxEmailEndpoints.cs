using AwaitHuman.Core.Lists;
using AwaitHuman.Core.Security;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
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
    [EndpointSummary("Lists the mails the sandbox would have sent to one address, newest first")]
    [ProducesResponseType<ListPage<SandboxEmail>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? to, int? limit, string? cursor, IDocumentStore store, IConfiguration configuration, CancellationToken ct)
    {
        if (!configuration.GetValue<bool>(ExposeSetting))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The sandbox mailbox is closed here ({ExposeSetting}).");

        var errors = new Problems.Errors().Check("to", string.IsNullOrWhiteSpace(to) ? "Name the address: /sandbox/emails?to=someone@example.com" : null);
        var page = Paging.Read(errors, limit, cursor);
        if (errors.Any) return errors.ToResult();

        await using var session = store.QuerySession();
        var address = to!.Trim().ToLowerInvariant();
        // One address's mails are few: the page is cut from all of them.
        var mails = await session.Query<SandboxEmail>().Where(mail => mail.To == address).ToListAsync(ct);
        return Results.Ok(Paging.Slice(mails, mail => Paging.ByTime(mail.SentAt, mail.Id), page, descending: true));
    }
}
