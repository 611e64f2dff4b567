using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.AccountMailing;

/// <summary>The sandbox outbox shows mailed codes to whoever asks, so it opens only where it is configured to (Development).</summary>
public sealed class SandboxMailboxTests(ServerTestsHost host)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task In_development_a_newcomer_reads_the_verification_mail_there()
    {
        var slug = $"mail-{Guid.NewGuid():N}"[..20];
        var email = $"owner@{slug}.test";
        using var anonymous = host.App.CreateHttpClient();
        (await anonymous.PostAsJsonAsync("/v1/signup", new { name = "Mailbox", slug, email, password = TestTenants.Password }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var mails = JsonDocument.Parse(await anonymous.GetStringAsync($"/sandbox/emails?to={Uri.EscapeDataString(email.ToUpperInvariant())}", Ct));

        var mail = mails.RootElement.GetProperty("items").EnumerateArray().Single();
        mail.GetProperty("purpose").GetString().ShouldBe("verify_email");
        mail.GetProperty("text").GetString()!.ShouldContain(mail.GetProperty("code").GetString()!);
        (await anonymous.GetAsync("/sandbox/emails", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the address is required");
    }

    [Fact]
    public async Task Elsewhere_the_mailbox_is_closed()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("closed_mailbox");
        await using var app = await AwaitHumanApp.StartAsync(connectionString, settings: new Dictionary<string, string> { [SandboxEmailEndpoints.ExposeSetting] = "false" });
        using var anonymous = app.CreateHttpClient();

        using var closed = await anonymous.GetAsync("/sandbox/emails?to=someone@example.test", Ct);

        closed.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
