using AwaitHuman.Connectors;
using AwaitHuman.Core.Retention;
using JasperFx;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Core.AccountMailing;

/// <summary>
/// An account mail waiting for, or done with, the provider: stored with the change that causes it,
/// so a mail is never lost to a crash between the two, and sent by <see cref="AccountMailSender"/>.
/// </summary>
public sealed class QueuedAccountMail
{
    public Guid Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    /// <summary>Emptied once the mail is sent or given up on: it may hold a sign-in code or a reset link.</summary>
    public string Text { get; set; } = "";
    public string Purpose { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    /// <summary>When to try next; null once sent or given up on.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? ProviderMessageId { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary><c>AccountMail</c>: how often due mail is looked for, and the waits between tries.</summary>
public sealed class AccountMailOptions
{
    public const string Section = "AccountMail";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After each failed try in turn; once used up the mail is given up on and logged.</summary>
    public TimeSpan[] RetryDelays { get; set; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];
}

/// <summary>Queues account mail for the configured provider, in the caller's transaction.</summary>
public sealed class QueuedAccountMailer(TimeProvider clock) : IAccountMailer
{
    public void Send(IDocumentSession session, AccountMail mail)
    {
        var now = clock.GetUtcNow();
        session.ForTenant(StorageConstants.DefaultTenantId).Store(new QueuedAccountMail
        {
            Id = Guid.CreateVersion7(now),
            To = mail.To,
            Subject = mail.Subject,
            Text = mail.Text,
            Purpose = mail.Purpose,
            QueuedAt = now,
            NextAttemptAt = now,
        });
    }
}

/// <summary>
/// Sends due account mail through the provider, a batch at a time. Each batch's rows stay locked
/// until its results commit and other nodes skip them meanwhile, so a mail goes out once. Without a
/// provider it does nothing: the sandbox mailer stores mail where it is read.
/// </summary>
public sealed class AccountMailSender(
    IDocumentStore store, IEnumerable<IPlatformMailTransport> transports, IOptions<AccountMailOptions> options, TimeProvider clock, ILogger<AccountMailSender> logger) : BackgroundService
{
    const int BatchSize = 20;

    readonly IPlatformMailTransport? _transport = transports.FirstOrDefault();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_transport is null) return;
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == BatchSize) { }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sending account mail through {Provider} failed; trying again shortly", _transport!.Provider);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>How many mails were due.</returns>
    internal async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession(StorageConstants.DefaultTenantId);
        await session.BeginTransactionAsync(ct);
        var table = store.Options.FindOrResolveDocumentType(typeof(QueuedAccountMail)).TableName.QualifiedName;
        var due = await session.QueryAsync<QueuedAccountMail>(
            $"select data from {table} where next_attempt_at <= ? order by next_attempt_at limit {BatchSize} for update skip locked", ct, clock.GetUtcNow());
        foreach (var mail in due)
        {
            SendOutcome outcome;
            try
            {
                outcome = await _transport!.SendAsync(new PlatformMail(mail.Id, mail.To, mail.Subject, mail.Text), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // One mail's surprise must not undo the record of the others already sent.
                outcome = new SendOutcome.RetryLater($"{e.GetType().Name}: {e.Message}");
            }
            Record(mail, outcome);
            session.Store(mail);
        }
        // Recorded even when the node is stopping: what went out is not sent again after a restart.
        await session.SaveChangesAsync(CancellationToken.None);
        return due.Count;
    }

    void Record(QueuedAccountMail mail, SendOutcome outcome)
    {
        var now = clock.GetUtcNow();
        mail.Attempts++;
        mail.NextAttemptAt = null;
        switch (outcome)
        {
            case SendOutcome.Accepted accepted:
                mail.SentAt = now;
                mail.ProviderMessageId = accepted.ProviderMessageId;
                mail.LastError = null;
                break;
            case SendOutcome.RetryLater later when mail.Attempts <= options.Value.RetryDelays.Length:
                var delay = options.Value.RetryDelays[mail.Attempts - 1];
                mail.NextAttemptAt = now + (later.RetryAfter > delay ? later.RetryAfter.Value : delay);
                mail.LastError = later.Error;
                logger.LogWarning("Account mail {MailId} to {To} not sent ({Error}); trying again at {At}", mail.Id, mail.To, later.Error, mail.NextAttemptAt);
                break;
            case SendOutcome.RetryLater later:
                mail.FailedAt = now;
                mail.LastError = later.Error;
                logger.LogError("Account mail {MailId} to {To} given up after {Attempts} tries: {Error}", mail.Id, mail.To, mail.Attempts, later.Error);
                break;
            case SendOutcome.Failed failed:
                mail.FailedAt = now;
                mail.LastError = failed.Error;
                logger.LogError("{Provider} refused account mail {MailId} to {To}: {Error} {Suggestion}", _transport!.Provider, mail.Id, mail.To, failed.Error, failed.Suggestion);
                break;
        }
        if (mail.NextAttemptAt is null) mail.Text = "";
    }
}

/// <summary>
/// Forgets account mail a month after it was queued: long enough to answer "did my code go out?",
/// and every mail is sent or given up on within hours (<see cref="AccountMailOptions.RetryDelays"/>).
/// </summary>
public sealed class AccountMailRetention(IDocumentStore store, TimeProvider clock, ILogger<AccountMailRetention> logger)
    : HourlyPurge<QueuedAccountMail>(store, clock, logger, "queued_at")
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    protected override TimeSpan KeptFor => Kept;
}

public static class AccountMailConfiguration
{
    public static void ConfigureAccountMail(this StoreOptions opts) =>
        opts.Schema.For<QueuedAccountMail>().SingleTenanted().Duplicate(mail => mail.NextAttemptAt).Duplicate(mail => mail.QueuedAt);

    /// <summary>
    /// Account mail goes through the provider a connector plug-in registered for it
    /// (<see cref="IPlatformMailTransport"/>), else into the sandbox mailbox.
    /// </summary>
    public static IServiceCollection AddAccountMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountMailOptions>()
            .BindWithRetrySchedule(configuration.GetSection(AccountMailOptions.Section), nameof(AccountMailOptions.RetryDelays), (options, delays) => options.RetryDelays = delays);
        services.AddSingleton<SandboxAccountMailer>();
        services.AddSingleton<QueuedAccountMailer>();
        services.AddSingleton<IAccountMailer>(provider => provider.GetService<IPlatformMailTransport>() is null
            ? provider.GetRequiredService<SandboxAccountMailer>()
            : provider.GetRequiredService<QueuedAccountMailer>());
        services.AddHostedService<AccountMailSender>();
        services.AddSingleton<AccountMailRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<AccountMailRetention>());
        return services;
    }
}
