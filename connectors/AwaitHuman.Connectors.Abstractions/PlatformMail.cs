namespace AwaitHuman.Connectors;

/// <summary>
/// Mail from the platform itself to a person about their account (verification, password reset,
/// invitation, notifications), as opposed to a tenant's messages to its customers.
/// </summary>
/// <param name="Id">Ours; stays the same when the mail is tried again.</param>
public sealed record PlatformMail(Guid Id, string To, string Subject, string Text);

/// <summary>
/// Sends platform mail through a provider account the operator of this installation configured. A
/// connector plug-in registers one when its settings are present; without one, platform mail goes to
/// the sandbox mailbox. The core queues each mail with the change that causes it and retries
/// <see cref="SendOutcome.RetryLater"/> with backoff.
/// </summary>
public interface IPlatformMailTransport
{
    /// <summary>The provider's name, for logs: <c>sendgrid</c>.</summary>
    string Provider { get; }

    Task<SendOutcome> SendAsync(PlatformMail mail, CancellationToken cancellationToken);
}
