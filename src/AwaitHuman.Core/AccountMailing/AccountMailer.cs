using Marten;
using Microsoft.Extensions.Logging;

namespace AwaitHuman.Core.AccountMailing;

/// <summary>A mail to a person about their account (verification, password reset, invitation).</summary>
public sealed record AccountMail(string To, string Subject, string Text, string Purpose, string? Code);

/// <summary>
/// Sends account mail in the same transaction as the change that causes it: queued for the
/// platform's mail provider when one is configured (<see cref="QueuedAccountMailer"/>),
/// else into the sandbox outbox.
/// </summary>
public interface IAccountMailer
{
    void Send(IDocumentSession session, AccountMail mail);
}

public sealed class SandboxAccountMailer(TimeProvider clock, ILogger<SandboxAccountMailer> logger) : IAccountMailer
{
    public void Send(IDocumentSession session, AccountMail mail)
    {
        var now = clock.GetUtcNow();
        session.ForTenant(JasperFx.StorageConstants.DefaultTenantId).Store(new SandboxEmail
        {
            Id = Guid.CreateVersion7(now),
            To = mail.To.ToLowerInvariant(),
            Subject = mail.Subject,
            Text = mail.Text,
            Purpose = mail.Purpose,
            Code = mail.Code,
            SentAt = now,
        });
        logger.LogInformation("Sandbox email to {To}: {Subject} (read it at /sandbox/emails?to={To})", mail.To, mail.Subject, mail.To);
    }
}
