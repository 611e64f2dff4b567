using System.Text.Json;
using AwaitHuman.Connectors.SendGrid.Events;

namespace AwaitHuman.Connectors.SendGrid.Tests.Events;

public sealed class SendGridEventsTests
{
    private static readonly Guid MessageId = Guid.Parse("0195a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
    private static readonly string OurMessageId = $"{MessageId:D}@{TestConnections.InboundDomain}";

    private static IReadOnlyList<DeliveryReport> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SendGridEvents.Read(document.RootElement, TestConnections.InboundDomain);
    }

    private static string Event(string kind, string extra = "") =>
        $$"""{"email":"jane@customer.example","timestamp":1772445600,"smtp-id":"<{{OurMessageId}}>","event":"{{kind}}","sg_event_id":"ev-{{kind}}","sg_message_id":"sg-1.filter0001.1-1","message_id":"{{MessageId}}","escalation_id":"0195a1b2-0000-7000-8000-000000000001"{{extra}}}""";

    [Theory]
    [InlineData("processed", DeliveryStates.Sent)]
    [InlineData("delivered", DeliveryStates.Delivered)]
    [InlineData("open", DeliveryStates.Read)]
    [InlineData("click", DeliveryStates.Read)]
    public void Delivery_and_engagement_events_map_to_states(string kind, string state)
    {
        var report = Read($"[{Event(kind)}]").ShouldHaveSingleItem();

        report.ShouldBe(new DeliveryReport($"ev-{kind}", OurMessageId, MessageId, state, DateTimeOffset.FromUnixTimeSeconds(1772445600)));
    }

    [Fact]
    public void A_bounce_fails_with_the_receiving_servers_reason()
    {
        var report = Read($$"""[{{Event("bounce", ""","type":"bounce","status":"5.1.1","reason":"550 5.1.1 The email account does not exist." """)}}]""").ShouldHaveSingleItem();

        report.State.ShouldBe(DeliveryStates.Failed);
        report.ErrorCode.ShouldBe("bounce");
        report.ErrorMessage.ShouldBe("5.1.1 550 5.1.1 The email account does not exist.");
    }

    [Fact]
    public void A_block_is_told_apart_from_a_bounce() =>
        Read($$"""[{{Event("bounce", ""","type":"blocked","reason":"IP listed" """)}}]""").Single().ErrorCode.ShouldBe("blocked");

    [Fact]
    public void A_dropped_email_fails_with_SendGrids_reason()
    {
        var report = Read($$"""[{{Event("dropped", ""","reason":"Bounced Address" """)}}]""").ShouldHaveSingleItem();

        report.State.ShouldBe(DeliveryStates.Failed);
        report.ErrorCode.ShouldBe("dropped");
        report.ErrorMessage.ShouldBe("Bounced Address");
    }

    [Fact]
    public void A_spam_report_fails_and_says_to_treat_it_as_an_opt_out()
    {
        var report = Read($"[{Event("spamreport")}]").ShouldHaveSingleItem();

        report.State.ShouldBe(DeliveryStates.Failed);
        report.ErrorCode.ShouldBe("spamreport");
        report.ErrorMessage.ShouldNotBeNull().ShouldContain("opt-out");
    }

    [Theory]
    [InlineData("deferred")]
    [InlineData("unsubscribe")]
    [InlineData("group_resubscribe")]
    public void Events_that_change_no_delivery_state_report_nothing(string kind) =>
        Read($"[{Event(kind)}]").ShouldBeEmpty();

    [Fact]
    public void An_engagement_event_without_smtp_id_rebuilds_our_Message_ID_from_the_custom_argument()
    {
        var json = $$"""[{"email":"jane@customer.example","timestamp":1772445600,"event":"open","sg_event_id":"ev-open","sg_message_id":"sg-1.filter","message_id":"{{MessageId}}"}]""";

        Read(json).Single().ProviderMessageId.ShouldBe(OurMessageId);
    }

    [Fact]
    public void An_event_of_an_email_we_did_not_send_keeps_SendGrids_id()
    {
        var report = Read("""[{"email":"x@y.example","timestamp":1772445600,"event":"delivered","sg_event_id":"ev-x","sg_message_id":"sg-9.filter"}]""").Single();

        report.MessageId.ShouldBeNull();
        report.ProviderMessageId.ShouldBe("sg-9.filter");
    }

    [Fact]
    public void A_batch_is_an_array() => Should.Throw<JsonException>(() => Read("""{"event":"delivered"}"""));
}
