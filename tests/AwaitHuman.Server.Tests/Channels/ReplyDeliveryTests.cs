using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Sending;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace AwaitHuman.Server.Tests.Channels;

public class ReplyDeliveryTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Setup(HttpClient Admin, HttpClient Agent, HttpClient Human, string Id, string Phone, string TenantId);

    /// <summary>An escalation whose customer prefers <paramref name="channel"/>, with a fresh phone number, and an operator.</summary>
    async Task<Setup> OpenAsync(string channel, bool scriptedSms = false, Action<JsonObject>? change = null)
    {
        var tenant = await _app.NewTenantAsync();
        var admin = _app.CreateHttpClient(tenant.ApiKey);
        if (scriptedSms)
        {
            using var created = await admin.PostAsJsonAsync("/v1/channel-connections", new
            {
                provider = "scripted", name = "SMS", channels = new[] { "sms" },
                settings = new Dictionary<string, string> { ["from"] = "+15005550006" },
                secrets = new Dictionary<string, string> { ["token"] = "t" },
            }, Ct);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        }
        var phone = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["phone"] = phone;
        request["customer"]!["preferred_channel"] = channel;
        change?.Invoke(request);
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var opened = await agent.OpenEscalationAsync(request);
        var member = await _app.NewMemberAsync(tenant, "operator");
        return new(admin, agent, _app.CreateHttpClient(member.Token), opened.GetProperty("id").GetString()!, phone, tenant.TenantId);
    }

    static async Task<JsonElement> DeliveryAsync(HttpClient caller, string id, Func<JsonElement, bool> settled, int seconds = 10)
    {
        var escalation = await Eventually.GetAsync(async () =>
        {
            var current = await caller.GetEscalationAsync(id);
            return current.GetProperty("deliveries").EnumerateArray().Any(settled) ? (object)current : null;
        }, TimeSpan.FromSeconds(seconds), "the delivery to settle");
        return ((JsonElement)escalation).GetProperty("deliveries").EnumerateArray().Single(settled);
    }

    [Fact]
    public async Task A_reply_on_the_sandbox_is_delivered_and_recorded_on_its_message()
    {
        var setup = await OpenAsync("sms");

        var after = await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "We refunded the second charge." });

        var line = after.GetProperty("transcript").EnumerateArray().Last();
        line.GetProperty("channel").GetString().ShouldBe("sms");
        var delivery = await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("state").GetString() == "delivered");
        delivery.GetProperty("message_id").GetString().ShouldBe(line.GetProperty("id").GetString());
        delivery.GetProperty("provider").GetString().ShouldBe("sandbox");
        delivery.GetProperty("to").GetString().ShouldBe(setup.Phone);
        delivery.GetProperty("provider_message_id").GetString()!.ShouldStartWith("sandbox-");
    }

    [Fact]
    public async Task A_provider_error_is_retried_until_it_succeeds_with_one_delivery()
    {
        var setup = await OpenAsync("sms", scriptedSms: true);
        ScriptedConnector.Script(setup.Phone,
            new SendOutcome.RetryLater("503 Service Unavailable"),
            new SendOutcome.RetryLater("429 Too Many Requests", TimeSpan.FromMilliseconds(300)));

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Sorry for the wait." });

        // Two retries, each possibly released by the scheduled-job poll (see below).
        var delivery = await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("provider_message_id").ValueKind == JsonValueKind.String, seconds: 30);
        delivery.GetProperty("state").GetString().ShouldBe("queued");
        delivery.GetProperty("attempts").GetInt32().ShouldBe(3);
        ScriptedConnector.SentTo(setup.Phone).Count.ShouldBe(3);
        ScriptedConnector.SentTo(setup.Phone).Select(m => m.MessageId).Distinct().Count().ShouldBe(1);
        await Task.Delay(500, Ct);
        ScriptedConnector.SentTo(setup.Phone).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_delivery_queued_without_its_text_by_an_earlier_version_reads_it_from_the_transcript()
    {
        var setup = await OpenAsync("sms", scriptedSms: true);
        ScriptedConnector.Script(setup.Phone, new SendOutcome.RetryLater("503 Service Unavailable", TimeSpan.FromHours(1)));
        var after = await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Your refund is on its way." });
        var messageId = after.GetProperty("transcript").EnumerateArray().Last().GetProperty("id").GetGuid();
        await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("attempts").GetInt32() == 1);

        // Messages carry their text since it was added; one queued before names only the transcript line.
        using (var scope = _app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(setup.TenantId, new DeliverReply(Guid.Parse(setup.Id), messageId, Attempt: 2), Ct);

        var sent = ScriptedConnector.SentTo(setup.Phone);
        sent.Count.ShouldBe(2);
        sent[1].Text.ShouldBe("Your refund is on its way.");
        sent[1].MessageId.ShouldBe(messageId);
        sent[1].CustomerName.ShouldBe(sent[0].CustomerName);
        sent[1].From.ShouldBe(sent[0].From);
        (await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("provider_message_id").ValueKind == JsonValueKind.String))
            .GetProperty("attempts").GetInt32().ShouldBe(2);
    }

    [Theory]
    [InlineData("email", true)]
    [InlineData("sms", false)]
    public async Task Only_a_channel_that_threads_replies_is_given_the_earlier_messages_ids(string channel, bool threads)
    {
        var email = $"customer-{Guid.NewGuid():N}@example.test";
        var setup = await OpenAsync(channel, change: request => request["customer"]!["email"] = email);
        using (var created = await setup.Admin.PostAsJsonAsync("/v1/channel-connections", new
        {
            provider = ScriptedConnector.Name, name = channel, channels = new[] { channel },
            settings = new Dictionary<string, string> { ["from"] = "+15005550006" },
            secrets = new Dictionary<string, string> { ["token"] = "t" },
        }, Ct))
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var to = channel == "email" ? email : setup.Phone;

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "First." });
        await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("provider_message_id").ValueKind == JsonValueKind.String);
        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Second." });
        var sent = await Eventually.GetAsync(() => ScriptedConnector.SentTo(to) is { Count: 2 } both ? both : null, TimeSpan.FromSeconds(10), "the second send");

        sent[1].Thread.ProviderMessageIds.ShouldBe(threads ? [$"SM{sent[0].MessageId:N}"] : []);
    }

    [Fact]
    public async Task A_permanent_refusal_becomes_a_failed_delivery_with_a_suggestion()
    {
        var setup = await OpenAsync("sms", scriptedSms: true);
        ScriptedConnector.Script(setup.Phone, new SendOutcome.Failed("21610", "The recipient unsubscribed.", "Reply by email instead."));

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Hello?" });

        var delivery = await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("state").GetString() == "failed");
        delivery.GetProperty("error_code").GetString().ShouldBe("21610");
        delivery.GetProperty("suggestion").GetString().ShouldBe("Reply by email instead.");
        ScriptedConnector.SentTo(setup.Phone).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Retries_give_up_after_the_schedule_and_say_so()
    {
        var setup = await OpenAsync("sms", scriptedSms: true);
        ScriptedConnector.Script(setup.Phone, new SendOutcome.RetryLater("500"), new SendOutcome.RetryLater("500"), new SendOutcome.RetryLater("500"), new SendOutcome.RetryLater("500"));

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Hello?" });

        // Each retry is a durable scheduled message, which Wolverine's scheduled-job poll (every 5 s) may be
        // the one to release: two retries can take 10 s whatever their own delay.
        var delivery = await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("state").GetString() == "failed", seconds: 30);
        delivery.GetProperty("error_code").GetString().ShouldBe("retries_exhausted");
        ScriptedConnector.SentTo(setup.Phone).Count.ShouldBe(ServerTestsHost.ChannelRetryDelays.Length + 1);
    }

    [Fact]
    public async Task A_reply_that_breaks_a_channel_rule_is_refused_before_anything_is_stored()
    {
        var setup = await OpenAsync("sms", scriptedSms: true);
        var before = (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("version").GetInt32();

        using var tooLong = await setup.Human.ActAsync(setup.Id, "reply", new { content = new string('x', 161) });
        (await tooLong.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString()!.ShouldContain("160");

        using var noAddress = await setup.Human.ActAsync(setup.Id, "reply", new { content = "hi", channel = "whatsapp" });
        // The phone doubles as the WhatsApp address, but the customer has not written there in 24 hours.
        (await noAddress.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("template");

        using var unknownChannel = await setup.Human.ActAsync(setup.Id, "reply", new { content = "hi", channel = "carrier-pigeon" });
        await unknownChannel.ShouldBeInvalidAsync("channel");

        var after = await setup.Human.GetEscalationAsync(setup.Id);
        after.GetProperty("version").GetInt32().ShouldBe(before);
        after.GetProperty("deliveries").GetArrayLength().ShouldBe(0);
        ScriptedConnector.SentTo(setup.Phone).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_malformed_reply_is_a_400_naming_each_field_and_nothing_is_stored()
    {
        var setup = await OpenAsync("whatsapp");
        var before = (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("version").GetInt32();

        using var response = await setup.Human.ActAsync(setup.Id, "reply", new
        {
            content = new string('x', 32_001),
            channel = "fax",
            template = new { content_sid = " ", variables = Enumerable.Range(0, 51).ToDictionary(i => $"{i}", i => "v") },
        });

        await response.ShouldBeInvalidAsync("content", "channel", "template.content_sid", "template.variables");
        (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("version").GetInt32().ShouldBe(before);
    }

    [Fact]
    public async Task A_channel_nobody_connected_is_refused_with_what_to_do()
    {
        var setup = await OpenAsync("email");
        var connections = await setup.Admin.ListAllAsync("/v1/channel-connections");
        var sandbox = connections.Single(c => c.GetProperty("provider").GetString() == "sandbox").GetProperty("id").GetString();
        (await setup.Admin.PostAsJsonAsync($"/v1/channel-connections/{sandbox}/disable", new { }, Ct)).EnsureSuccessStatusCode();

        using var refused = await setup.Human.ActAsync(setup.Id, "reply", new { content = "hi" });

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("No email channel is connected");
        (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("transcript").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task WhatsApp_free_text_needs_the_24_hour_window_and_a_template_goes_anyway()
    {
        var stale = DateTimeOffset.UtcNow.AddHours(-30).ToString("O");
        var setup = await OpenAsync("whatsapp", change: request =>
            request["transcript"] = new JsonArray(new JsonObject { ["role"] = "customer", ["content"] = "Help with my order", ["at"] = stale }));

        using var closed = await setup.Human.ActAsync(setup.Id, "reply", new { content = "Are you still there?" });
        var problem = await closed.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("window closed");

        var after = await setup.Human.ActOkAsync(setup.Id, "reply", new
        {
            content = "Hi Ada, we have an update on your order. Reply to continue.",
            template = new { content_sid = "HX1234567890abcdef1234567890abcdef", variables = new Dictionary<string, string> { ["1"] = "Ada" } },
        });
        var delivery = await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("state").GetString() == "delivered");
        delivery.GetProperty("template").GetProperty("content_sid").GetString().ShouldBe("HX1234567890abcdef1234567890abcdef");
        after.GetProperty("transcript").EnumerateArray().Last().GetProperty("channel").GetString().ShouldBe("whatsapp");
    }

    [Fact]
    public async Task WhatsApp_free_text_goes_while_the_customer_wrote_within_24_hours()
    {
        var recent = DateTimeOffset.UtcNow.AddHours(-2).ToString("O");
        var setup = await OpenAsync("whatsapp", change: request =>
            request["transcript"] = new JsonArray(new JsonObject { ["role"] = "customer", ["content"] = "Help with my order", ["at"] = recent }));

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Hi Ada, I am on it." });

        await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("state").GetString() == "delivered");
    }

    [Fact]
    public async Task An_approved_draft_goes_out_on_the_customers_channel()
    {
        var setup = await OpenAsync("sms", scriptedSms: true);
        using var proposed = await setup.Agent.ActAsync(setup.Id, "drafts", new { content = "Refund is on its way." });
        var draftId = (await proposed.JsonAsync()).GetProperty("draft_id").GetString();

        await setup.Human.ActOkAsync(setup.Id, $"drafts/{draftId}/approve", new { });

        await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("provider").GetString() == "scripted" && d.GetProperty("provider_message_id").ValueKind == JsonValueKind.String);
        ScriptedConnector.SentTo(setup.Phone).Single().Text.ShouldBe("Refund is on its way.");
    }

    [Fact]
    public async Task On_the_agent_channel_the_reply_goes_to_the_agent_to_relay()
    {
        var setup = await OpenAsync("agent");

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Tell her the refund is done." });

        var delivery = await DeliveryAsync(setup.Human, setup.Id, d => d.GetProperty("state").GetString() == "sent");
        delivery.GetProperty("provider").GetString().ShouldBe("agent_relay");
    }
}
