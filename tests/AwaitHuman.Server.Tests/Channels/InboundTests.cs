using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Sandbox;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Channels;

public class InboundTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    IChannelInbox Inbox => _app.Services.GetRequiredService<IChannelInbox>();

    sealed record Setup(HttpClient Admin, HttpClient Human, string Id, string Phone, string TenantId);

    async Task<Setup> OpenAsync(string channel)
    {
        var tenant = await _app.NewTenantAsync();
        var phone = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["phone"] = phone;
        request["customer"]!["preferred_channel"] = channel;
        var opened = await _app.CreateHttpClient(tenant.ApiKey).OpenEscalationAsync(request);
        var member = await _app.NewMemberAsync(tenant, "operator");
        return new(_app.CreateHttpClient(tenant.ApiKey), _app.CreateHttpClient(member.Token), opened.GetProperty("id").GetString()!, phone, tenant.TenantId);
    }

    async Task<string> DeviceUrlAsync(Setup setup, string? channel = null)
    {
        using var response = await setup.Human.GetAsync($"/v1/escalations/{setup.Id}/sandbox-device{(channel is null ? "" : $"?channel={channel}")}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("url").GetString()!;
    }

    static string TokenOf(string deviceUrl) => Uri.UnescapeDataString(new Uri(deviceUrl).Query.Split("token=")[1]);

    async Task<JsonElement> AnswerAsync(string token, string text, string? clientId = null)
    {
        using var response = await _app.CreateHttpClient().PostAsJsonAsync($"/sandbox/device/messages?token={Uri.EscapeDataString(token)}",
            new { text, client_id = clientId ?? Guid.NewGuid().ToString("N") }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    [Fact]
    public async Task The_simulated_customer_reads_the_reply_and_answers_into_the_same_escalation()
    {
        var setup = await OpenAsync("sms");
        var token = TokenOf(await DeviceUrlAsync(setup));
        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Could you confirm the order number?" });

        var anonymous = _app.CreateHttpClient();
        var page = await anonymous.GetStringAsync($"/sandbox/device?token={Uri.EscapeDataString(token)}", Ct);
        page.ShouldContain("Simulated customer device");
        var seen = await (await anonymous.GetAsync($"/sandbox/device/conversation?token={Uri.EscapeDataString(token)}", Ct)).JsonAsync();
        var lastSeen = seen.GetProperty("messages").EnumerateArray().Last();
        lastSeen.GetProperty("from").GetString().ShouldBe("operator");
        lastSeen.GetProperty("text").GetString().ShouldBe("Could you confirm the order number?");

        (await AnswerAsync(token, "It is 1042.")).GetProperty("result").GetString().ShouldBe("accepted");

        var escalation = await setup.Human.GetEscalationAsync(setup.Id);
        var answer = escalation.GetProperty("transcript").EnumerateArray().Last();
        answer.GetProperty("role").GetString().ShouldBe("customer");
        answer.GetProperty("content").GetString().ShouldBe("It is 1042.");
        answer.GetProperty("channel").GetString().ShouldBe("sms");
        var after = await (await anonymous.GetAsync($"/sandbox/device/conversation?token={Uri.EscapeDataString(token)}&after={lastSeen.GetProperty("position").GetInt32()}", Ct)).JsonAsync();
        after.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ShouldBe(["It is 1042."]);
    }

    [Fact]
    public async Task A_repeated_inbound_message_is_processed_once()
    {
        var setup = await OpenAsync("sms");
        var token = TokenOf(await DeviceUrlAsync(setup));

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AnswerAsync(token, "Same message", clientId: "client-0001")));

        answers.Count(a => a.GetProperty("result").GetString() == "accepted").ShouldBe(1);
        answers.Count(a => a.GetProperty("result").GetString() == "duplicate").ShouldBe(3);
        var transcript = (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("transcript").EnumerateArray();
        transcript.Count(line => line.GetProperty("content").GetString() == "Same message").ShouldBe(1);
    }

    [Fact]
    public async Task A_forged_or_foreign_device_link_reaches_nothing()
    {
        var setup = await OpenAsync("sms");
        var other = await OpenAsync("sms");
        var token = TokenOf(await DeviceUrlAsync(setup));
        var anonymous = _app.CreateHttpClient();

        using var forged = await anonymous.PostAsJsonAsync($"/sandbox/device/messages?token={Uri.EscapeDataString(token[..^4] + "AAAA")}", new { text = "hi", client_id = "client-0002" }, Ct);
        await forged.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var page = await anonymous.GetAsync("/sandbox/device?token=nonsense", Ct);
        await page.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var stranger = await other.Human.GetAsync($"/v1/escalations/{setup.Id}/sandbox-device", Ct);
        await stranger.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("transcript").GetArrayLength().ShouldBe(2);
        (await other.Human.GetEscalationAsync(other.Id)).GetProperty("transcript").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Bad_device_answers_are_refused_naming_the_fields()
    {
        var setup = await OpenAsync("sms");
        var token = TokenOf(await DeviceUrlAsync(setup));

        using var response = await _app.CreateHttpClient().PostAsJsonAsync($"/sandbox/device/messages?token={Uri.EscapeDataString(token)}",
            new { text = " ", client_id = "x", consent = "maybe" }, Ct);

        await response.ShouldBeInvalidAsync("text", "client_id", "consent");
    }

    [Fact]
    public async Task STOP_blocks_replies_on_that_channel_until_START()
    {
        var setup = await OpenAsync("sms");
        var token = TokenOf(await DeviceUrlAsync(setup));

        await AnswerAsync(token, "STOP");
        using var refused = await setup.Human.ActAsync(setup.Id, "reply", new { content = "Sorry to see you go" });
        (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("opted out");

        await AnswerAsync(token, "START");
        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Welcome back" });
    }

    [Fact]
    public async Task A_customer_answer_on_WhatsApp_opens_the_24_hour_window()
    {
        var setup = await OpenAsync("sms");
        using var closed = await setup.Human.ActAsync(setup.Id, "reply", new { content = "hi", channel = "whatsapp" });
        await closed.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var token = TokenOf(await DeviceUrlAsync(setup, "whatsapp"));
        await AnswerAsync(token, "Hi, it's me on WhatsApp");

        await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Great, let's continue here", channel = "whatsapp" });
    }

    [Fact]
    public async Task Delivery_reports_arriving_out_of_order_end_in_the_latest_state_and_repeat_reports_count_once()
    {
        var setup = await OpenAsync("sms");
        var after = await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Checking now." });
        var messageId = Guid.Parse(after.GetProperty("transcript").EnumerateArray().Last().GetProperty("id").GetString()!);
        var connection = (await Inbox.FindConnectionAsync("sandbox", await SandboxIdAsync(setup), Ct))!;
        var at = DateTimeOffset.UtcNow;

        (await Inbox.ReportAsync(connection, new DeliveryReport("SMx:read", "SMx", messageId, DeliveryStates.Read, at), Ct)).ShouldBe(InboundResult.Accepted);
        (await Inbox.ReportAsync(connection, new DeliveryReport("SMx:sent", "SMx", messageId, DeliveryStates.Sent, at), Ct)).ShouldBe(InboundResult.Accepted);
        (await Inbox.ReportAsync(connection, new DeliveryReport("SMx:sent", "SMx", messageId, DeliveryStates.Sent, at), Ct)).ShouldBe(InboundResult.Duplicate);
        (await Inbox.ReportAsync(connection, new DeliveryReport("SMy:sent", "SMy", null, DeliveryStates.Sent, at), Ct)).ShouldBe(InboundResult.NoEscalation);

        var delivery = (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("deliveries").EnumerateArray().Single();
        delivery.GetProperty("state").GetString().ShouldBe("read");
    }

    [Fact]
    public async Task A_report_through_another_tenants_connection_changes_nothing()
    {
        var setup = await OpenAsync("sms");
        var other = await OpenAsync("sms");
        var after = await setup.Human.ActOkAsync(setup.Id, "reply", new { content = "Checking now." });
        var messageId = Guid.Parse(after.GetProperty("transcript").EnumerateArray().Last().GetProperty("id").GetString()!);
        var foreign = (await Inbox.FindConnectionAsync("sandbox", await SandboxIdAsync(other), Ct))!;

        (await Inbox.ReportAsync(foreign, new DeliveryReport("SMz:failed", "SMz", messageId, DeliveryStates.Failed, DateTimeOffset.UtcNow, "30003", "Unreachable"), Ct))
            .ShouldBe(InboundResult.NoEscalation);
        (await Inbox.ReceiveAsync(foreign, new InboundMessage("SMq", "sms", setup.Phone, null, "hijack", DateTimeOffset.UtcNow, EscalationId: Guid.Parse(setup.Id)), Ct))
            .ShouldBe(InboundResult.NoEscalation);

        var escalation = await setup.Human.GetEscalationAsync(setup.Id);
        escalation.GetProperty("transcript").EnumerateArray().ShouldNotContain(line => line.GetProperty("content").GetString() == "hijack");
        await Eventually.HappensAsync(async () =>
            (await setup.Human.GetEscalationAsync(setup.Id)).GetProperty("deliveries")[0].GetProperty("state").GetString() == "delivered",
            TimeSpan.FromSeconds(10), "the sandbox delivery");
    }

    async Task<Guid> SandboxIdAsync(Setup setup)
    {
        var connections = await setup.Admin.ListAllAsync("/v1/channel-connections");
        return Guid.Parse(connections.Single(c => c.GetProperty("provider").GetString() == SandboxConnector.Name).GetProperty("id").GetString()!);
    }
}
