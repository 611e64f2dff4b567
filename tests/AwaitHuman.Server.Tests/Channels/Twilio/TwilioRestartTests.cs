using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Core.Channels.Sending;
using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;

namespace AwaitHuman.Server.Tests.Channels.Twilio;

/// <summary>
/// Replies waiting in the durable outbox when the server is killed outright (SIGKILL) go out after
/// the restart, each exactly once, and none that Twilio already took goes out again. Real server
/// processes on a database of their own, Twilio faked on loopback.
/// </summary>
public class TwilioRestartTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replies_in_the_outbox_when_the_server_is_killed_are_each_sent_once_after_the_restart()
    {
        var database = await TestPostgres.CreateDatabaseAsync("twilio_restart");
        using var twilio = new TwilioApiFake();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Connectors__Twilio__ApiBaseUrl"] = twilio.BaseUrl.ToString(),
            // Long enough that no retry fires before the kill, short enough for the test.
            ["Channels__RetryDelays__0"] = "00:00:20",
        };

        // People and keys through the same onboarding code the tests always use, then that node goes away.
        TestTenantAccount tenant;
        string adminToken, operatorToken;
        await using (var setup = await AwaitHumanApp.StartAsync(database))
        {
            tenant = await setup.NewTenantAsync();
            adminToken = (await setup.NewMemberAsync(tenant, "admin")).Token;
            operatorToken = (await setup.NewMemberAsync(tenant, "operator")).Token;
        }

        var accountSid = TwilioApiFake.NewAccountSid();
        var phones = Enumerable.Range(0, 6).Select(_ => TwilioTenant.NewPhone()).ToArray();
        List<string> escalations = [];
        var first = await ServerProcess.StartAsync(RepositoryLayout.ServerAssembly, ["--environment", "Development"], environment, Ct);
        try
        {
            using var admin = Client(first, adminToken);
            using var created = await admin.PostAsJsonAsync("/v1/channel-connections", new
            {
                provider = "twilio",
                name = "Support line",
                channels = new[] { "sms" },
                settings = new Dictionary<string, string> { ["account_sid"] = accountSid, ["from"] = TwilioTenant.From },
                secrets = new Dictionary<string, string> { ["auth_token"] = "0123456789abcdef0123456789abcdef" },
            }, Ct);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));

            // One escalation (and customer) per reply: replies close together on one escalation are another matter (see TwilioChannelTests).
            using var agent = Client(first, tenant.ApiKey);
            foreach (var phone in phones)
            {
                var request = EscalationScenarios.SampleRequest();
                request["customer"]!["phone"] = phone;
                request["customer"]!["preferred_channel"] = "sms";
                escalations.Add((await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!);
            }

            using var human = Client(first, operatorToken);
            for (var i = 1; i <= 3; i++) await human.ActOkAsync(escalations[i - 1], "reply", new { content = $"Reply {i}" });
            (await twilio.SendsAsync(accountSid, 3)).ShouldAllBe(send => send.Accepted);

            // Twilio is down for the next three: each is deferred to a scheduled retry in the durable inbox.
            twilio.AnswerNext(accountSid, 503, 503, 503);
            for (var i = 4; i <= 6; i++) await human.ActOkAsync(escalations[i - 1], "reply", new { content = $"Reply {i}" });
            await twilio.SendsAsync(accountSid, 6);
            await Eventually.GetAsync(async () =>
                await Sql.ScalarAsync<long>(database, $"select count(*) from {CritterStack.DocumentSchema}.mt_events where type = 'delivery_deferred'") == 3 ? true : (bool?)null,
                TimeSpan.FromSeconds(30), "three deferred deliveries");
            // All three retries are scheduled in the inbox before the kill. Read right after the third
            // deferral's event, CI once counted two: the wait is for the inbox row, not a looser count.
            await Eventually.HappensAsync(async () => await PendingSendsAsync(database, "'Scheduled'") == 3,
                TimeSpan.FromSeconds(10), "three retries scheduled in the inbox");

            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await ServerProcess.StartAsync(RepositoryLayout.ServerAssembly, ["--environment", "Development"], environment, Ct);
        await twilio.SendsAsync(accountSid, 9, TimeSpan.FromSeconds(120));
        // Done when every reply is recorded as accepted and no send is left in the durable inbox
        // (waiting or scheduled): nothing remains that could send again, so no fixed wait is needed.
        await Eventually.HappensAsync(async () =>
                await Sql.ScalarAsync<long>(database, $"select count(*) from {CritterStack.DocumentSchema}.mt_events where type = 'delivery_accepted'") >= 6
                && await PendingSendsAsync(database, "'Incoming', 'Scheduled'") == 0,
            TimeSpan.FromSeconds(60), "all six replies accepted and no send left in the inbox");
        var sends = twilio.SendsOf(accountSid);

        var accepted = sends.Where(s => s.Accepted).ToList();
        accepted.Select(s => s.Field("Body")).Order().ShouldBe(["Reply 1", "Reply 2", "Reply 3", "Reply 4", "Reply 5", "Reply 6"], ignoreOrder: false, customMessage: second.Output);
        accepted.Select(s => s.MessageId).Distinct().Count().ShouldBe(6);
        sends.Count.ShouldBe(9);
        accepted.OrderBy(s => s.Field("Body")).Select(s => s.Field("To")).ShouldBe(phones);
    }

    /// <summary>DeliverReply envelopes in the durable inbox with one of <paramref name="statuses"/> (an SQL list).</summary>
    static Task<long> PendingSendsAsync(string database, string statuses) =>
        Sql.ScalarAsync<long>(database,
            $"select count(*) from {CritterStack.MessageSchema}.wolverine_incoming_envelopes where status in ({statuses}) and message_type = '{typeof(DeliverReply).FullName}'");

    static HttpClient Client(ServerProcess server, string bearer)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }
}
