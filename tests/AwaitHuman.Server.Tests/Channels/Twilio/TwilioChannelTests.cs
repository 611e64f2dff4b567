using System.Net;
using System.Text;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Testing;
using AwaitHuman.Testing.Fakes;
using Marten;

namespace AwaitHuman.Server.Tests.Channels.Twilio;

/// <summary>
/// The whole loop through Twilio on the shared server: operator replies reach the fake Twilio API,
/// signed webhooks bring customers' messages and delivery statuses back.
/// </summary>
public class TwilioChannelTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;
    static TwilioApiFake Fake => TwilioApiFake.Shared;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    static int CustomerLines(Escalation escalation) => escalation.Transcript.Count(e => e.Role == TranscriptRoles.Customer && e.Channel != ChannelKinds.Agent);

    [Fact]
    public async Task An_operators_reply_reaches_Twilio_once_as_the_documented_form_post()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);

        using var replied = await twilio.ReplyAsync(id, new { content = "Hi Ada, the duplicate charge is refunded.", channel = "sms" });
        replied.StatusCode.ShouldBe(HttpStatusCode.OK, await replied.Content.ReadAsStringAsync(Ct));

        var send = (await Fake.SendsAsync(twilio.AccountSid, 1)).Single();
        var escalation = await twilio.EscalationWhenAsync(id, e => e.Deliveries.Single().ProviderMessageId is not null, "the delivery accepted");
        var entry = escalation.Transcript.Last(e => e.Role == TranscriptRoles.Operator);
        send.Path.ShouldBe($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json");
        send.Authorization.ShouldBe(Basic(twilio.AccountSid, twilio.AuthToken));
        send.Form.ShouldBe(new Dictionary<string, string>
        {
            ["To"] = phone,
            ["From"] = TwilioTenant.From,
            ["Body"] = "Hi Ada, the duplicate charge is refunded.",
            ["StatusCallback"] = $"{twilio.WebhookUrl("status")}?message_id={entry.Id}",
        }, ignoreOrder: true);

        var delivery = escalation.Deliveries.Single();
        delivery.ShouldBe(delivery with { MessageId = entry.Id, Channel = "sms", To = phone, State = DeliveryStates.Queued, ProviderMessageId = send.Sid, Segments = 1 });
        entry.Channel.ShouldBe("sms");

        // Nothing else goes out for it.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Fake.SendsOf(twilio.AccountSid).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_Twilio_500_is_retried_and_the_message_goes_out_once()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var id = await twilio.OpenEscalationAsync(TwilioTenant.NewPhone());
        Fake.AnswerNext(twilio.AccountSid, 500);

        using var replied = await twilio.ReplyAsync(id, new { content = "Checking this now.", channel = "sms" });
        replied.StatusCode.ShouldBe(HttpStatusCode.OK);

        var sends = await Fake.SendsAsync(twilio.AccountSid, 2, TimeSpan.FromSeconds(60));
        sends.Select(s => s.Status).ShouldBe([500, 201]);
        sends.Select(s => s.MessageId).Distinct().Count().ShouldBe(1);
        var escalation = await twilio.EscalationWhenAsync(id, e => e.Deliveries.Single().ProviderMessageId is not null, "the retried delivery accepted");
        escalation.Deliveries.Single().ShouldBe(escalation.Deliveries.Single() with { State = DeliveryStates.Queued, ProviderMessageId = sends[1].Sid, Attempts = 2 });
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Fake.SendsOf(twilio.AccountSid).Count(s => s.Accepted).ShouldBe(1);
    }

    // Each send's outcome and the next reply append to the same escalation at once: a lost race
    // must not make the handler send again (it did before d2a5834: "Part 3" went out four times).
    [Fact]
    public async Task Replies_close_together_on_one_escalation_each_reach_Twilio_once()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var id = await twilio.OpenEscalationAsync(TwilioTenant.NewPhone());

        // Each reply's send and the next reply (or the other sends) append to the same escalation at once.
        for (var i = 1; i <= 4; i++)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var replied = await twilio.ReplyAsync(id, new { content = $"Part {i}", channel = "sms" });
                // 409: another append won the race and nothing of this reply was saved; a console sends it again.
                if (replied.StatusCode == HttpStatusCode.Conflict && attempt < 10) continue;
                replied.StatusCode.ShouldBe(HttpStatusCode.OK, await replied.Content.ReadAsStringAsync(Ct));
                break;
            }
        }

        await twilio.EscalationWhenAsync(id, e => e.Deliveries.Count == 4 && e.Deliveries.All(d => d.ProviderMessageId is not null), "four deliveries accepted");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Fake.SendsOf(twilio.AccountSid).Where(s => s.Accepted).Select(s => s.Field("Body")).Order().ShouldBe(["Part 1", "Part 2", "Part 3", "Part 4"]);
    }

    [Fact]
    public async Task A_signed_incoming_SMS_appears_on_the_customers_escalation()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);

        using var response = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), twilio.Incoming(phone, "Is the refund on its way?"));

        await TwilioTenant.ShouldBeEmptyTwimlAsync(response);
        var escalation = await twilio.EscalationAsync(id);
        var line = escalation.Transcript.Last();
        line.Role.ShouldBe(TranscriptRoles.Customer);
        line.Content.ShouldBe("Is the refund on its way?");
        line.Channel.ShouldBe("sms");
        // The operator sees it through the API as well.
        var details = await twilio.Operator.GetEscalationAsync(id.ToString());
        details.GetProperty("transcript").EnumerateArray().Last().GetProperty("content").GetString().ShouldBe("Is the refund on its way?");
    }

    [Fact]
    public async Task The_same_MessageSid_twice_is_one_customer_message()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);
        var form = twilio.Incoming(phone, "Hello?");

        using (var first = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), form)) await TwilioTenant.ShouldBeEmptyTwimlAsync(first);
        // Twilio retries, or someone replays the captured request: same signature, same MessageSid.
        using (var again = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), form)) await TwilioTenant.ShouldBeEmptyTwimlAsync(again);

        CustomerLines(await twilio.EscalationAsync(id)).ShouldBe(1);
    }

    public static TheoryData<string> Forgeries() => ["unsigned", "wrong signature", "wrong token", "tampered body", "replayed to another connection", "replayed to status"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Webhooks_not_signed_for_the_connection_are_refused_and_store_nothing(string forgery)
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var other = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);
        var otherId = await other.OpenEscalationAsync(phone);
        var form = twilio.Incoming(phone, "STOP");
        var inbound = twilio.WebhookUrl("inbound");
        var versionBefore = (await twilio.EscalationAsync(id)).Version;

        using var response = forgery switch
        {
            "unsigned" => await twilio.PostWebhookAsync(inbound, form, signature: null),
            "wrong signature" => await twilio.PostWebhookAsync(inbound, form, signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
            "wrong token" => await other.PostWebhookAsync(inbound, form),
            "tampered body" => await twilio.PostWebhookAsync(inbound, [.. form.Select(p => p.Key == "Body" ? new KeyValuePair<string, string>("Body", "START") : p)],
                signature: TwilioWebhookSigner.Sign(twilio.AuthToken, inbound.ToString(), form)),
            // A genuine request of this connection, sent to another tenant's connection or endpoint.
            "replayed to another connection" => await twilio.PostWebhookAsync(other.WebhookUrl("inbound"), form, signedUrl: inbound),
            "replayed to status" => await twilio.PostWebhookAsync(twilio.WebhookUrl("status"), form, signedUrl: inbound),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await twilio.EscalationAsync(id)).Version.ShouldBe(versionBefore);
        CustomerLines(await other.EscalationAsync(otherId)).ShouldBe(0);
        await using (var session = _app.Store.QuerySession(twilio.Tenant.TenantId))
            (await session.Query<CustomerChannel>().CountAsync(Ct)).ShouldBe(0);
        await using (var session = _app.Store.QuerySession(other.Tenant.TenantId))
            (await session.Query<CustomerChannel>().CountAsync(Ct)).ShouldBe(0);

        // Nothing was used up either: the genuine request still goes through, once.
        using var genuine = await twilio.PostWebhookAsync(inbound, form);
        await TwilioTenant.ShouldBeEmptyTwimlAsync(genuine);
        CustomerLines(await twilio.EscalationAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Status_callbacks_out_of_order_end_in_the_latest_state()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);
        using (var replied = await twilio.ReplyAsync(id, new { content = "Done.", channel = "sms" })) replied.StatusCode.ShouldBe(HttpStatusCode.OK);
        var send = (await Fake.SendsAsync(twilio.AccountSid, 1)).Single();
        var status = new Uri(send.Field("StatusCallback")!);

        using (var delivered = await twilio.PostWebhookAsync(status, twilio.Status(send.Sid, "delivered", phone))) delivered.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using (var sent = await twilio.PostWebhookAsync(status, twilio.Status(send.Sid, "sent", phone))) sent.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using (var repeated = await twilio.PostWebhookAsync(status, twilio.Status(send.Sid, "delivered", phone))) repeated.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var escalation = await twilio.EscalationWhenAsync(id, e => e.Deliveries.Single().State == DeliveryStates.Delivered, "delivered");
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        (await twilio.EscalationAsync(id)).Deliveries.Single().State.ShouldBe(DeliveryStates.Delivered);
        escalation.Deliveries.Single().ProviderMessageId.ShouldBe(send.Sid);
    }

    [Fact]
    public async Task An_undelivered_callback_shows_Twilios_error_on_the_delivery()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);
        using (var replied = await twilio.ReplyAsync(id, new { content = "Done.", channel = "sms" })) replied.StatusCode.ShouldBe(HttpStatusCode.OK);
        var send = (await Fake.SendsAsync(twilio.AccountSid, 1)).Single();

        using var response = await twilio.PostWebhookAsync(new Uri(send.Field("StatusCallback")!), twilio.Status(send.Sid, "undelivered", phone, errorCode: "30003"));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var delivery = (await twilio.EscalationWhenAsync(id, e => e.Deliveries.Single().State == DeliveryStates.Undelivered, "undelivered")).Deliveries.Single();
        delivery.ErrorCode.ShouldBe("30003");
        delivery.Error.ShouldNotBeNull().ShouldContain("another channel");
    }

    [Fact]
    public async Task WhatsApp_outside_the_24_hour_window_takes_only_a_template_until_the_customer_writes()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone, channel: "whatsapp");

        using (var refused = await twilio.ReplyAsync(id, new { content = "Hello from support" }))
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
            problem.GetProperty("detail").GetString()!.ShouldContain("template");
        }
        Fake.SendsOf(twilio.AccountSid).ShouldBeEmpty();

        using (var template = await twilio.ReplyAsync(id, new { template = new { content_sid = "HX0123456789abcdef0123456789abcdef", variables = new Dictionary<string, string> { ["1"] = "Ada" } } }))
            template.StatusCode.ShouldBe(HttpStatusCode.OK, await template.Content.ReadAsStringAsync(Ct));
        var sent = (await Fake.SendsAsync(twilio.AccountSid, 1)).Single();
        sent.Form.ShouldBe(new Dictionary<string, string>
        {
            ["To"] = "whatsapp:" + phone,
            ["From"] = "whatsapp:" + TwilioTenant.WhatsAppFrom,
            ["ContentSid"] = "HX0123456789abcdef0123456789abcdef",
            ["ContentVariables"] = """{"1":"Ada"}""",
            ["StatusCallback"] = sent.Field("StatusCallback")!,
        }, ignoreOrder: true);

        // The customer answers on WhatsApp: the window opens and free text goes.
        using (var inbound = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), twilio.Incoming(phone, "Hi, yes?", channel: "whatsapp")))
            await TwilioTenant.ShouldBeEmptyTwimlAsync(inbound);
        (await twilio.EscalationAsync(id)).Transcript.Last().ShouldBe((await twilio.EscalationAsync(id)).Transcript.Last() with { Channel = "whatsapp", Content = "Hi, yes?" });
        using (var free = await twilio.ReplyAsync(id, new { content = "Your refund is on its way." }))
            free.StatusCode.ShouldBe(HttpStatusCode.OK, await free.Content.ReadAsStringAsync(Ct));
        var second = (await Fake.SendsAsync(twilio.AccountSid, 2))[1];
        second.Field("Body").ShouldBe("Your refund is on its way.");
        second.Field("To").ShouldBe("whatsapp:" + phone);
    }

    [Fact]
    public async Task After_STOP_replies_are_refused_before_sending_and_START_allows_them_again()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);

        using (var stop = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), twilio.Incoming(phone, "STOP"))) await TwilioTenant.ShouldBeEmptyTwimlAsync(stop);
        using (var refused = await twilio.ReplyAsync(id, new { content = "Are you still there?", channel = "sms" }))
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
            problem.GetProperty("detail").GetString()!.ShouldContain("opted out");
        }
        Fake.SendsOf(twilio.AccountSid).ShouldBeEmpty();

        using (var start = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), twilio.Incoming(phone, "START"))) await TwilioTenant.ShouldBeEmptyTwimlAsync(start);
        using (var allowed = await twilio.ReplyAsync(id, new { content = "Welcome back.", channel = "sms" }))
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK, await allowed.Content.ReadAsStringAsync(Ct));
        (await Fake.SendsAsync(twilio.AccountSid, 1)).Single().Field("Body").ShouldBe("Welcome back.");
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_the_signature_over_the_public_url_is_accepted()
    {
        var twilio = await TwilioTenant.CreateAsync(_app);
        var phone = TwilioTenant.NewPhone();
        var id = await twilio.OpenEscalationAsync(phone);
        var publicUrl = new Uri($"https://support.example.com/connectors/twilio/{twilio.ConnectionId}/inbound");

        // The proxy on loopback (trusted) forwards Twilio's https call to the server's http port.
        using var response = await twilio.PostWebhookAsync(twilio.WebhookUrl("inbound"), twilio.Incoming(phone, "Via the proxy"), signedUrl: publicUrl, alter: request =>
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "support.example.com");
        });

        await TwilioTenant.ShouldBeEmptyTwimlAsync(response);
        (await twilio.EscalationAsync(id)).Transcript.Last().Content.ShouldBe("Via the proxy");
    }
}
