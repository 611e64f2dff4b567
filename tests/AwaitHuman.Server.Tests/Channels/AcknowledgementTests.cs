using AwaitHuman.Server.Tests.Routing;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Channels;

public class AcknowledgementTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_routing_rules_acknowledgement_reaches_the_customer_on_their_channel()
    {
        var routed = await RoutedTenant.StartAsync(_app, operators: 1);
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["preferred_channel"] = "sms";
        request["customer"]!["phone"] = $"+1415{Random.Shared.Next(1_000_000, 9_999_999)}";
        var id = (await routed.Agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;

        var escalation = (await Eventually.GetAsync(async () =>
        {
            var details = await routed.Admin.GetEscalationAsync(id);
            return details.GetProperty("deliveries").EnumerateArray().Any(d => d.GetProperty("state").GetString() == "delivered") ? new[] { details } : null;
        }, TimeSpan.FromSeconds(20), "the acknowledgement delivered"))[0];

        var delivery = escalation.GetProperty("deliveries").EnumerateArray().Single();
        delivery.GetProperty("channel").GetString().ShouldBe("sms");
        var line = escalation.GetProperty("transcript").EnumerateArray().Single(e => e.GetProperty("id").GetString() == delivery.GetProperty("message_id").GetString());
        line.GetProperty("role").GetString().ShouldBe("system");
        line.GetProperty("content").GetString()!.ShouldContain("reply");

        var device = await (await routed.Admin.GetAsync($"/v1/escalations/{id}/sandbox-device", Ct)).JsonAsync();
        var token = Uri.EscapeDataString(Uri.UnescapeDataString(new Uri(device.GetProperty("url").GetString()!).Query.Split("token=")[1]));
        var seen = await (await _app.CreateHttpClient().GetAsync($"/sandbox/device/conversation?token={token}", Ct)).JsonAsync();
        seen.GetProperty("messages").EnumerateArray().ShouldContain(m => m.GetProperty("text").GetString() == line.GetProperty("content").GetString());
    }
}
