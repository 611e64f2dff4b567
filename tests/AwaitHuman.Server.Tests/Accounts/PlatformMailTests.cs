using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Connectors;
using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Server.Tests.Accounts;

/// <summary>
/// Account mail through the installation's own SendGrid account (<c>Connectors:SendGrid:PlatformMail</c>),
/// against the fake SendGrid API on loopback: queued with the change, sent once, retried when SendGrid
/// asks, given up when it refuses, and never put in the sandbox mailbox.
/// </summary>
public sealed partial class PlatformMailTests : IAsyncLifetime
{
    const string ApiKey = "SG.platform-mail-test-key";
    const string From = "no-reply@awaithuman.test";

    AwaitHumanApp _app = null!;
    HttpClient _anonymous = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("platform_mail");
        _app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string>
        {
            ["Connectors:SendGrid:ApiBaseUrl"] = FakeSendGrid.Shared.Url,
            ["Connectors:SendGrid:PlatformMail:ApiKey"] = ApiKey,
            ["Connectors:SendGrid:PlatformMail:FromEmail"] = From,
            ["Connectors:SendGrid:PlatformMail:FromName"] = "AwaitHuman Test",
            ["AccountMail:PollInterval"] = "00:00:00.100",
            ["AccountMail:RetryDelays:0"] = "00:00:00.300",
        });
        _anonymous = _app.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _anonymous.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_password_reset_mail_goes_out_once_through_SendGrid_and_its_code_works()
    {
        var tenant = await _app.NewTenantAsync();

        (await RequestResetAsync(tenant.OwnerEmail)).ShouldBe(HttpStatusCode.Accepted);

        var queued = await SettledAsync(tenant.OwnerEmail);
        queued.SentAt.ShouldNotBeNull();
        queued.Attempts.ShouldBe(1);
        var request = FakeSendGrid.Shared.RequestsTo(tenant.OwnerEmail).ShouldHaveSingleItem();
        request.Path.ShouldBe("/v3/mail/send");
        request.Headers!["Authorization"].ShouldBe([$"Bearer {ApiKey}"]);
        var mail = FakeSendGrid.BodyOf(request);
        mail["from"]!["email"]!.GetValue<string>().ShouldBe(From);
        mail["from"]!["name"]!.GetValue<string>().ShouldBe("AwaitHuman Test");
        mail["subject"]!.GetValue<string>().ShouldBe("Reset your AwaitHuman password");
        mail["content"]![0]!["type"]!.GetValue<string>().ShouldBe("text/plain");
        mail["tracking_settings"]!["click_tracking"]!["enable"]!.GetValue<bool>().ShouldBeFalse();
        mail["custom_args"]!["account_mail_id"]!.GetValue<string>().ShouldBe(queued.Id.ToString());
        (await _app.LatestSandboxEmailAsync(tenant.OwnerEmail, "reset_password")).ShouldBeNull();

        var code = CodeLine().Match(mail["content"]![0]!["value"]!.GetValue<string>()).Groups[1].Value;
        (await _anonymous.PostAsJsonAsync("/v1/account/password-reset/confirm", new { email = tenant.OwnerEmail, code, new_password = "a new passphrase from the mail" }, Ct))
            .IsSuccessStatusCode.ShouldBeTrue();
        (await _anonymous.PostAsJsonAsync("/v1/auth/login", new { email = tenant.OwnerEmail, password = "a new passphrase from the mail" }, Ct))
            .IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact]
    public async Task A_mail_SendGrid_turns_away_for_now_goes_out_on_a_later_try()
    {
        var tenant = await _app.NewTenantAsync();
        FakeSendGrid.Shared.AnswerNextTo(tenant.OwnerEmail, 503);

        (await RequestResetAsync(tenant.OwnerEmail)).ShouldBe(HttpStatusCode.Accepted);

        var queued = await SettledAsync(tenant.OwnerEmail);
        queued.SentAt.ShouldNotBeNull();
        queued.Attempts.ShouldBe(2);
        FakeSendGrid.Shared.RequestsTo(tenant.OwnerEmail).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_mail_SendGrid_refuses_is_given_up_with_its_reason_and_not_sent_again()
    {
        var tenant = await _app.NewTenantAsync();
        FakeSendGrid.Shared.AnswerNextTo(tenant.OwnerEmail, 400);

        (await RequestResetAsync(tenant.OwnerEmail)).ShouldBe(HttpStatusCode.Accepted);

        var queued = await SettledAsync(tenant.OwnerEmail);
        queued.SentAt.ShouldBeNull();
        queued.FailedAt.ShouldNotBeNull();
        queued.NextAttemptAt.ShouldBeNull();
        queued.LastError!.ShouldContain("try again");
        // Past the first retry delay: a refused mail is not tried again.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        FakeSendGrid.Shared.RequestsTo(tenant.OwnerEmail).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_request_for_an_unknown_address_queues_nothing()
    {
        var nobody = $"nobody-{Guid.NewGuid():N}@example.test";

        (await RequestResetAsync(nobody)).ShouldBe(HttpStatusCode.Accepted);
        (await RequestResetAsync("not an address")).ShouldBe(HttpStatusCode.BadRequest);

        await using var session = _app.Store.QuerySession();
        (await session.Query<QueuedAccountMail>().Where(m => m.To == nobody || m.To == "not an address").CountAsync(Ct)).ShouldBe(0);
        FakeSendGrid.Shared.RequestsTo(nobody).ShouldBeEmpty();
    }

    async Task<HttpStatusCode> RequestResetAsync(string email)
    {
        using var response = await _anonymous.PostAsJsonAsync("/v1/account/password-reset", new { email }, Ct);
        return response.StatusCode;
    }

    /// <summary>The one mail queued to <paramref name="to"/>, once it was sent or given up on.</summary>
    async Task<QueuedAccountMail> SettledAsync(string to)
    {
        QueuedAccountMail? mail = null;
        await Eventually.HappensAsync(async () =>
        {
            await using var session = _app.Store.QuerySession();
            mail = await session.Query<QueuedAccountMail>().Where(m => m.To == to).SingleOrDefaultAsync(Ct);
            return mail is { NextAttemptAt: null };
        }, TimeSpan.FromSeconds(20), $"the mail to {to} sent or given up on");
        return mail!;
    }

    [GeneratedRegex(@"\n\n(\S+)\n\n")]
    private static partial Regex CodeLine();
}

/// <summary>The sender against a transport that fails in ways SendGrid's client does not, on the shared host (whose own sender is idle: it has no provider).</summary>
public sealed class AccountMailSenderTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Accepts every mail except those to addresses starting with "throws", for which it throws.</summary>
    sealed class SurprisingTransport : IPlatformMailTransport
    {
        public ConcurrentQueue<PlatformMail> Sent { get; } = new();

        public string Provider => "surprising";

        public Task<SendOutcome> SendAsync(PlatformMail mail, CancellationToken cancellationToken)
        {
            if (mail.To.StartsWith("throws", StringComparison.Ordinal)) throw new InvalidOperationException("a bug in the transport");
            Sent.Enqueue(mail);
            return Task.FromResult<SendOutcome>(new SendOutcome.Accepted($"id-{mail.Id}", DeliveryStates.Queued));
        }
    }

    [Fact]
    public async Task A_mail_whose_send_throws_is_tried_again_later_and_the_others_of_its_batch_stay_sent()
    {
        var run = Guid.NewGuid().ToString("N");
        string[] to = [$"first-{run}@example.test", $"throws-{run}@example.test", $"third-{run}@example.test"];
        await using (var session = _app.Store.LightweightSession())
        {
            var mailer = new QueuedAccountMailer(TimeProvider.System);
            foreach (var address in to) mailer.Send(session, new Core.AccountMailing.AccountMail(address, "Hello", "Text", "test", null));
            await session.SaveChangesAsync(Ct);
        }
        var transport = new SurprisingTransport();
        var sender = new AccountMailSender(_app.Store, [transport], Options.Create(new AccountMailOptions()), TimeProvider.System, NullLogger<AccountMailSender>.Instance);

        await sender.SendDueAsync(Ct);
        await sender.SendDueAsync(Ct);

        transport.Sent.Select(m => m.To).Order().ShouldBe([to[0], to[2]]);
        await using var query = _app.Store.QuerySession();
        var mails = await query.Query<QueuedAccountMail>().Where(m => m.To.IsOneOf(to)).ToListAsync(Ct);
        mails.Single(m => m.To == to[0]).SentAt.ShouldNotBeNull();
        mails.Single(m => m.To == to[2]).SentAt.ShouldNotBeNull();
        // What went out is not kept: it may hold a sign-in code; what waits for a retry still has it.
        mails.Where(m => m.SentAt is not null).ShouldAllBe(m => m.Text == "");
        var failed = mails.Single(m => m.To == to[1]);
        failed.Text.ShouldBe("Text");
        failed.SentAt.ShouldBeNull();
        failed.Attempts.ShouldBe(1);
        failed.NextAttemptAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        failed.LastError.ShouldBe("InvalidOperationException: a bug in the transport");
    }
}

public sealed class AccountMailRetentionTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Account_mail_is_forgotten_a_month_after_it_was_queued()
    {
        var run = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        QueuedAccountMail Mail(string to, DateTimeOffset queuedAt) => new()
        {
            Id = Guid.CreateVersion7(), To = to, Subject = "Your code", Purpose = "test", QueuedAt = queuedAt, SentAt = queuedAt,
        };
        await using (var session = _app.Store.LightweightSession())
        {
            session.Store(Mail($"old-{run}@example.test", now - AccountMailRetention.Kept - TimeSpan.FromHours(1)));
            session.Store(Mail($"recent-{run}@example.test", now - AccountMailRetention.Kept + TimeSpan.FromHours(1)));
            await session.SaveChangesAsync(Ct);
        }

        (await _app.Services.GetRequiredService<AccountMailRetention>().PurgeAllTenantsAsync(Ct)).ShouldBeGreaterThanOrEqualTo(1);

        await using var query = _app.Store.QuerySession();
        (await query.Query<QueuedAccountMail>().Where(m => m.To.Contains(run)).Select(m => m.To).ToListAsync(Ct))
            .ShouldBe([$"recent-{run}@example.test"]);
    }
}
