using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AwaitHuman.Testing;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// What a support agent sends when it gives up on a conversation: the tests' sample request with a
/// 20-line conversation of about 8 KB, the tool calls that led there and the agent's metadata.
/// Every request gets its own <c>Idempotency-Key</c> and <c>external_ref</c>, as agents send them.
/// </summary>
public static class RealisticEscalation
{
    const string ExternalRefMarker = "@@external_ref@@";

    static readonly (string Role, string Content)[] Conversation =
    [
        ("customer", "Hi, I just checked my banking app and I've been charged twice for my order #1042 from last Tuesday. Two payments of 49.90 EUR went out on the same day, a few minutes apart. I only placed one order. Can you please look into this and refund the second charge? I've been a customer for years and this has never happened before."),
        ("agent", "I'm sorry to hear about the double charge, that's definitely not what should happen. I'll look into order #1042 right away. To make sure I'm looking at the right account, could you confirm the email address you used to place the order and the last four digits of the card that was charged? Please don't send the full card number here."),
        ("customer", "Sure. The email is ada@example.com and the card ends in 4417. It's a Visa debit card. Both charges show as 'ACME STORE BERLIN' and both have the amount 49.90. One of them says 'pending' and the other one is already booked. I can send you a screenshot of the statement if that helps."),
        ("agent", "Thank you, Ada. I found order #1042 placed on Tuesday at 14:32 for a pair of trail running shoes (size 38, colour slate). I can see two payment attempts on the order: the first one shows as failed on our side with a gateway timeout, and the second one succeeded about four minutes later. Let me check what the payment provider reports for the first attempt, as sometimes a timeout on our side still reaches the bank."),
        ("customer", "OK. But it didn't fail on my side, the money is gone from my account. I have 120 euros less than I should, because there was also a separate charge for the express shipping I think. This is really frustrating because I need that money for rent this week. I don't have a big buffer on this account."),
        ("agent", "I completely understand, and I'm sorry for the stress this is causing. I can see the express shipping surcharge of 9.90 EUR was added to the successful payment, so the total of that charge should be 59.80 EUR, not 49.90. Could you check whether one of the two charges on your statement is 59.80 EUR?"),
        ("customer", "No, both say 49.90. And then there is a third one for 9.90 that I didn't even notice before, also from ACME STORE BERLIN, on Wednesday. So that makes three charges. I really don't understand what is going on with your payment system. How can one order turn into three payments?"),
        ("agent", "Thank you for checking so carefully. So your statement shows 49.90 (pending), 49.90 (booked) and 9.90 (booked, Wednesday). On our side the order should have cost 59.80 in total. The 9.90 on Wednesday looks like the shipping upgrade was charged separately when the warehouse switched the parcel to express. That would mean you paid 59.80 for the order, plus the pending 49.90 that should not be there."),
        ("customer", "So you admit the pending one is wrong? Then please just cancel it now. Also I want to know why the shipping was charged separately, nobody told me about that, and the parcel still hasn't arrived even though I paid for express delivery. The tracking page hasn't changed since Thursday."),
        ("agent", "The pending charge is an authorisation from the failed first attempt. Normally the bank releases it automatically within 5 to 7 working days, but I understand you would rather not wait. I've checked the tracking for parcel DE-88213-5521: it was handed to the carrier on Thursday and the last scan was at the Leipzig hub on Thursday evening, with no update since. The carrier's own page shows the same status, so this is not a display problem on our side."),
        ("customer", "5 to 7 days is not acceptable. I have a payment due on Friday. Can you not just release it from your side? Other shops have done that for me before. And what happens with the parcel, is it lost? I paid extra for express so I would have the shoes for a race on Sunday."),
        ("agent", "I've asked the payment provider to void the authorisation; their system shows the void request as accepted, but whether your bank releases the money sooner is up to the bank. About the parcel: two days without a scan at a hub is unusual. I can open an investigation with the carrier, which usually takes 2 to 3 working days, or offer to send a replacement pair today. I can also arrange a pick-up point closer to you if that is easier."),
        ("customer", "A replacement today would be great, but only if I'm not charged again. And I want the express shipping refunded, because it clearly wasn't express. Honestly I'm also thinking about just disputing all of this with my bank because I don't trust that this will be fixed."),
        ("agent", "That's fair. Sending a replacement at no charge is something I can do once the original parcel is marked as lost, which requires the carrier investigation. I can refund the 9.90 express surcharge now, as the delivery did not meet the express promise. May I go ahead with that refund to the Visa card ending in 4417?"),
        ("customer", "Yes, refund the 9.90. But the replacement can't wait 2 to 3 days, the race is on Sunday. And what about compensation for all of this? I've spent an hour on this already. I'd like the full order refunded and to keep the shoes if they ever arrive, that seems fair after three wrong charges. I'm not asking for anything unreasonable here."),
        ("agent", "I've refunded the 9.90 EUR express surcharge; it should appear on your card within 3 to 5 working days, reference RF-20931. You'll receive a confirmation email for it in the next few minutes. A full refund of the order while you keep the goods, and sending a replacement before the carrier investigation, are both beyond what I'm allowed to approve. I'd like to bring in a colleague from our customer care team who can decide on that. They can see everything we've discussed."),
        ("customer", "Fine, but please make sure they have all of this and that I don't have to explain everything again. And tell them that if this isn't sorted by Friday I will file a chargeback with my bank for all three payments. I've already looked up how to do it in my banking app."),
        ("agent", "Understood. I'll pass on the full conversation, the three charges with their amounts and dates, the refund I've already made, the parcel tracking and your deadline of Friday. A colleague will reply here, usually within the hour during business hours. Is this chat the best way to reach you, or would you prefer email or SMS?"),
        ("customer", "Here in the chat is fine, but send me an SMS too when someone answers, my number is +14155550123. I'll keep the chat open on my laptop this afternoon, and I'm free to talk after 5 pm if a call is easier for your colleague."),
        ("agent", "Thank you, Ada. I've noted that you'd like an SMS to +14155550123 when my colleague replies. I'm handing the conversation to them now. Again, I'm sorry for the trouble with the charges and the delivery; we'll get this sorted out. Your case reference is CS-77310 in case you need to contact us about it later."),
    ];

    /// <summary>The request body with <see cref="ExternalRefMarker"/> where each request's <c>external_ref</c> goes.</summary>
    static readonly string Template = BuildTemplate();
    static readonly byte[] Head = Encoding.UTF8.GetBytes(Template[..Template.IndexOf(ExternalRefMarker, StringComparison.Ordinal)]);
    static readonly byte[] Tail = Encoding.UTF8.GetBytes(Template[(Template.IndexOf(ExternalRefMarker, StringComparison.Ordinal) + ExternalRefMarker.Length)..]);

    /// <summary>The size of one request body in bytes; every external_ref has the same length.</summary>
    public static int BodyBytes => Head.Length + ExternalReference().Length + Tail.Length;

    /// <summary>The size of the transcript alone, as JSON, in bytes.</summary>
    public static int TranscriptBytes { get; } = Encoding.UTF8.GetByteCount(TranscriptJson().ToJsonString());

    public static int TranscriptLines => Conversation.Length;

    /// <summary>One <c>POST /v1/escalations</c> as an agent sends it.</summary>
    public static HttpRequestMessage Create(BenchTarget target)
    {
        byte[] body = [.. Head, .. Encoding.UTF8.GetBytes(ExternalReference()), .. Tail];

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Address, "/v1/escalations"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json", "utf-8") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    static string ExternalReference() => $"conv-{Guid.NewGuid():N}";

    static string BuildTemplate()
    {
        var body = EscalationScenarios.SampleRequest(externalRef: ExternalRefMarker);
        body["summary"] = "Customer was charged three times for order #1042 (49.90 pending, 49.90 booked, 9.90 shipping). Express parcel stuck at Leipzig hub since Thursday. "
            + "Express surcharge refunded (RF-20931). Customer asks for a full refund while keeping the goods and a replacement before Sunday; threatens a chargeback if not settled by Friday.";
        body["transcript"] = TranscriptJson();
        body["agent"] = new JsonObject
        {
            ["name"] = "support-bot",
            ["version"] = "3.1.0",
            ["trace"] = new JsonArray(
                Call("lookup_customer", new JsonObject { ["email"] = "ada@example.com" },
                    new JsonObject { ["customer_id"] = "cus_8812", ["since"] = "2021-03-14", ["orders"] = 14, ["lifetime_value_eur"] = 1284.50, ["tier"] = "gold" }),
                Call("lookup_order", new JsonObject { ["order"] = 1042 },
                    new JsonObject { ["status"] = "shipped", ["total_eur"] = 59.80, ["items"] = new JsonArray(new JsonObject { ["sku"] = "TRL-RUN-38-SLT", ["qty"] = 1, ["price_eur"] = 49.90 }), ["shipping"] = "express" }),
                Call("list_payments", new JsonObject { ["order"] = 1042 },
                    new JsonObject
                    {
                        ["payments"] = new JsonArray(
                            new JsonObject { ["id"] = "pay_1", ["amount_eur"] = 49.90, ["status"] = "failed", ["error"] = "gateway_timeout" },
                            new JsonObject { ["id"] = "pay_2", ["amount_eur"] = 49.90, ["status"] = "captured" },
                            new JsonObject { ["id"] = "pay_3", ["amount_eur"] = 9.90, ["status"] = "captured", ["reason"] = "shipping_upgrade" }),
                    }),
                Call("void_authorisation", new JsonObject { ["payment"] = "pay_1" }, new JsonObject { ["accepted"] = true }),
                Call("track_parcel", new JsonObject { ["parcel"] = "DE-88213-5521" },
                    new JsonObject { ["last_scan"] = "Leipzig hub", ["last_scan_at"] = "2026-11-19T19:42:00Z", ["status"] = "in_transit" }),
                Call("refund", new JsonObject { ["payment"] = "pay_3", ["amount_eur"] = 9.90 }, new JsonObject { ["refund"] = "RF-20931" }),
                Call("check_refund_policy", new JsonObject { ["order"] = 1042, ["amount_eur"] = 49.90, ["keep_goods"] = true },
                    null, "requires_human_approval: amount above agent limit of 20.00 EUR with goods kept")),
        };
        body["metadata"] = new JsonObject
        {
            ["tier"] = "gold",
            ["conversation_id"] = "chat_5f1c0a7e",
            ["channel"] = "webchat",
            ["language"] = "en",
            ["sentiment"] = -0.71,
            ["chargeback_risk"] = "high",
            ["order_ids"] = new JsonArray(1042),
            ["agent_model"] = "support-llm-2026-10",
            ["turns"] = Conversation.Length,
        };
        return body.ToJsonString();
    }

    static JsonArray TranscriptJson()
    {
        var start = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        return new JsonArray(Conversation.Select((line, i) => (JsonNode)new JsonObject
        {
            ["role"] = line.Role,
            ["content"] = line.Content,
            ["at"] = start.AddSeconds(45 * i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        }).ToArray());
    }

    static JsonObject Call(string tool, JsonObject input, JsonObject? output, string? error = null) =>
        new() { ["tool"] = tool, ["input"] = input, ["output"] = output, ["error"] = error };
}
