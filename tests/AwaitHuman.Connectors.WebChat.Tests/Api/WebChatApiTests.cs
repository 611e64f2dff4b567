using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AwaitHuman.Connectors.WebChat.Tests.Api;

public class WebChatApiTests(WebChatApi api) : IClassFixture<WebChatApi>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Path(ChannelConnection connection, string rest) => $"/connectors/webchat/{connection.Id}/{rest}";

    static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct));

    [Fact]
    public async Task The_widget_script_is_served_cacheable_and_revalidated_by_its_ETag()
    {
        using var client = api.Client(null);

        using var response = await client.GetAsync("/connectors/webchat/widget.js", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        response.Headers.CacheControl!.Public.ShouldBeTrue();
        response.Headers.CacheControl.MaxAge.ShouldBe(TimeSpan.FromHours(1));
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(WidgetScript.Content);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/connectors/webchat/widget.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await client.SendAsync(again, Ct);
        revalidated.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task A_customer_message_is_handed_to_the_inbox_once_even_when_the_post_is_retried()
    {
        var (connection, escalation) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection));
        var body = new { id = "c1a2b3", text = "Where is my parcel?" };

        using var first = await client.PostAsJsonAsync(Path(connection, "messages"), body, Ct);
        using var retry = await client.PostAsJsonAsync(Path(connection, "messages"), body, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonOf(retry)).GetProperty("status").GetString().ShouldBe("duplicate");
        var received = api.Core.Received.Where(m => m.EscalationId == escalation).ShouldHaveSingleItem();
        received.ShouldBe(received with
        {
            ProviderMessageId = "visitor-42/c1a2b3",
            Channel = ChannelKinds.WebChat,
            From = "visitor-42",
            FromName = "Ada",
            Text = "Where is my parcel?",
        });
    }

    [Theory]
    [InlineData("""{"id": "m1", "text": ""}""", "text")]
    [InlineData("""{"id": "m1"}""", "text")]
    [InlineData("""{"text": "hello"}""", "id")]
    [InlineData("""{"id": "has spaces", "text": "hello"}""", "id")]
    [InlineData("""not json""", "body")]
    public async Task Bad_messages_are_400_naming_the_field_and_nothing_is_received(string json, string field)
    {
        var (connection, escalation) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection));

        using var response = await client.PostAsync(Path(connection, "messages"), new StringContent(json, null, "application/json"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        api.Core.Received.ShouldNotContain(m => m.EscalationId == escalation);
    }

    [Fact]
    public async Task An_oversized_message_is_400_naming_text()
    {
        var (connection, escalation) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection));

        using var response = await client.PostAsJsonAsync(Path(connection, "messages"), new { id = "m1", text = new string('x', 4001) }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonOf(response)).GetProperty("errors").GetProperty("text")[0].GetString()!.ShouldContain("4000");
        api.Core.Received.ShouldNotContain(m => m.EscalationId == escalation);
    }

    [Fact]
    public async Task Without_a_valid_token_every_call_is_401_and_nothing_is_received()
    {
        var (connection, escalation) = api.NewChat();
        var forged = WebChatApi.Token(connection, secret: "someone-elses-secret-of-32-characters-or-more");
        var other = api.NewChat();

        foreach (var token in new[] { null, "garbage", forged, WebChatApi.Token(other.Connection) })
        {
            using var client = api.Client(token);
            using var post = await client.PostAsJsonAsync(Path(connection, "messages"), new { id = "m1", text = "hi" }, Ct);
            using var read = await client.GetAsync(Path(connection, "conversation"), Ct);
            using var stream = await client.GetAsync(Path(connection, "events"), HttpCompletionOption.ResponseHeadersRead, Ct);

            post.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            post.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
            read.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            stream.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        api.Core.Received.ShouldNotContain(m => m.EscalationId == escalation);
    }

    [Fact]
    public async Task An_unknown_connection_is_404()
    {
        var (connection, _) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection));

        using var unknown = await client.GetAsync($"/connectors/webchat/{Guid.CreateVersion7()}/conversation", Ct);
        using var notAnId = await client.GetAsync("/connectors/webchat/not-an-id/conversation", Ct);

        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        notAnId.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_conversation_of_another_tenant_with_the_same_external_ref_is_never_shown()
    {
        var mine = api.NewChat("shared-ref");
        var theirs = api.NewChat("shared-ref");
        api.Core.Append(theirs.Escalation, ConversationParties.Operator, "Their secret");
        api.Core.Append(mine.Escalation, ConversationParties.Operator, "Hello Ada");
        using var client = api.Client(WebChatApi.Token(mine.Connection, "shared-ref"));

        var conversation = await JsonOf(await client.GetAsync(Path(mine.Connection, "conversation"), Ct));

        conversation.GetProperty("escalation_id").GetGuid().ShouldBe(mine.Escalation);
        conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ShouldBe(["Hello Ada"]);
    }

    [Fact]
    public async Task A_conversation_the_agent_has_not_escalated_is_404()
    {
        var (connection, _) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection, conversation: "never-escalated"));

        using var read = await client.GetAsync(Path(connection, "conversation"), Ct);
        using var post = await client.PostAsJsonAsync(Path(connection, "messages"), new { id = "m1", text = "hi" }, Ct);

        read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        post.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_conversation_is_read_after_a_position_in_snake_case()
    {
        var (connection, escalation) = api.NewChat();
        api.Core.Append(escalation, ConversationParties.Agent, "I am handing you over.");
        var reply = api.Core.Append(escalation, ConversationParties.Operator, "Hi, Olga here.", DeliveryStates.Sent);
        using var client = api.Client(WebChatApi.Token(connection));

        var conversation = await JsonOf(await client.GetAsync(Path(connection, "conversation?after=1"), Ct));
        using var negative = await client.GetAsync(Path(connection, "conversation?after=-1"), Ct);

        conversation.GetProperty("status").GetString().ShouldBe("with_human");
        conversation.GetProperty("operator_name").GetString().ShouldBe("Olga");
        var message = conversation.GetProperty("messages").EnumerateArray().ShouldHaveSingleItem();
        message.GetProperty("id").GetGuid().ShouldBe(reply.Id);
        message.GetProperty("position").GetInt32().ShouldBe(2);
        message.GetProperty("from").GetString().ShouldBe("operator");
        message.GetProperty("author_name").GetString().ShouldBe("Olga");
        message.GetProperty("delivery_state").GetString().ShouldBe("sent");
        negative.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonOf(negative)).GetProperty("errors").TryGetProperty("after", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_event_stream_replays_then_goes_live_and_a_reconnect_gets_exactly_what_was_missed()
    {
        var (connection, escalation) = api.NewChat();
        api.Core.Append(escalation, ConversationParties.Agent, "one");
        api.Core.Append(escalation, ConversationParties.Operator, "two");
        using var client = api.Client(WebChatApi.Token(connection));

        using (var stream = await EventReader.OpenAsync(client, Path(connection, "events")))
        {
            stream.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
            var status = await stream.NextAsync(null, "status");
            status.Data.GetProperty("status").GetString().ShouldBe("with_human");
            (await stream.MessagesAsync(2)).Select(e => (e.Id, e.Data.GetProperty("text").GetString())).ShouldBe([("1", "one"), ("2", "two")]);

            api.Core.Append(escalation, ConversationParties.Operator, "three");
            var live = (await stream.MessagesAsync(1)).Single();
            (live.Id, live.Data.GetProperty("text").GetString()).ShouldBe(("3", "three"));
        }

        api.Core.Append(escalation, ConversationParties.Operator, "four");
        api.Core.Append(escalation, ConversationParties.Operator, "five");
        using var resumed = await EventReader.OpenAsync(client, Path(connection, "events"), lastEventId: "3");
        (await resumed.MessagesAsync(2)).Select(e => e.Id).ShouldBe(["4", "5"]);
        await Should.ThrowAsync<OperationCanceledException>(() => resumed.NextAsync(TimeSpan.FromMilliseconds(1500), "message"));
    }

    [Fact]
    public async Task A_reconnect_after_the_conversation_was_escalated_anew_gets_the_new_escalation_whole()
    {
        var (connection, first) = api.NewChat();
        api.Core.Append(first, ConversationParties.Agent, "old one");
        api.Core.Append(first, ConversationParties.Operator, "old two");
        var second = api.Core.OpenEscalation(connection.TenantId, "order-1234");
        api.Core.Append(second, ConversationParties.Agent, "new one");
        using var client = api.Client(WebChatApi.Token(connection));

        using var renewed = await EventReader.OpenAsync(client, Path(connection, $"events?escalation={first}"), lastEventId: "2");
        (await renewed.NextAsync(null, "status")).Data.GetProperty("escalation_id").GetGuid().ShouldBe(second);
        var whole = (await renewed.MessagesAsync(1)).Single();
        (whole.Id, whole.Data.GetProperty("text").GetString()).ShouldBe(("1", "new one"));

        using var same = await EventReader.OpenAsync(client, Path(connection, $"events?escalation={second}"), lastEventId: "1");
        api.Core.Append(second, ConversationParties.Operator, "new two");
        (await same.MessagesAsync(1)).Single().Id.ShouldBe("2");
    }

    [Fact]
    public async Task A_bad_Last_Event_ID_is_400()
    {
        var (connection, _) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection));

        using var stream = await EventReader.OpenAsync(client, Path(connection, "events"), lastEventId: "abc");

        stream.Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_operator_typing_reaches_the_customer_and_the_customer_typing_reaches_the_feed_but_is_not_echoed()
    {
        var (connection, escalation) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection));
        using var stream = await EventReader.OpenAsync(client, Path(connection, "events"));
        await stream.NextAsync(null, "status");
        await Eventually(() => api.Core.Watchers(escalation) == 1);

        using var typing = await client.PostAsync(Path(connection, "typing"), null, Ct);
        api.Core.Signal(escalation, new ConversationSignal.Typing(ConversationParties.Operator, "Olga"));

        typing.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        api.Core.Typing.ShouldContain((escalation, ConversationParties.Customer, "Ada"));
        var shown = await stream.NextAsync(null, "typing");
        shown.Data.GetProperty("party").GetString().ShouldBe("operator");
        shown.Data.GetProperty("name").GetString().ShouldBe("Olga");
        shown.Id.ShouldBeNull();
    }

    [Fact]
    public async Task Read_receipts_report_the_operator_messages_not_yet_in_that_state()
    {
        var (connection, escalation) = api.NewChat();
        api.Core.Append(escalation, ConversationParties.Agent, "agent");
        var sent = api.Core.Append(escalation, ConversationParties.Operator, "sent", DeliveryStates.Sent);
        api.Core.Append(escalation, ConversationParties.Operator, "already read", DeliveryStates.Read);
        api.Core.Append(escalation, ConversationParties.Customer, "customer");
        var later = api.Core.Append(escalation, ConversationParties.Operator, "after up_to", DeliveryStates.Sent);
        using var client = api.Client(WebChatApi.Token(connection));

        using var response = await client.PostAsJsonAsync(Path(connection, "receipts"), new { state = "read", up_to = 4 }, Ct);
        using var wrong = await client.PostAsJsonAsync(Path(connection, "receipts"), new { state = "failed", up_to = 0 }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var report = api.Core.Reports.Where(r => r.MessageId == sent.Id || r.MessageId == later.Id).ShouldHaveSingleItem();
        report.ShouldBe(report with
        {
            ProviderEventId = $"{sent.Id}/read",
            ProviderMessageId = sent.Id.ToString(),
            MessageId = sent.Id,
            State = DeliveryStates.Read,
        });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await JsonOf(wrong)).GetProperty("errors");
        errors.TryGetProperty("state", out _).ShouldBeTrue();
        errors.TryGetProperty("up_to", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Browsers_on_allowed_origins_pass_the_preflight_and_see_the_answers()
    {
        var (connection, _) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection), origin: "https://shop.example.com");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Path(connection, "messages"));
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");

        using var allowed = await client.SendAsync(preflight, Ct);
        using var read = await client.GetAsync(Path(connection, "conversation"), Ct);

        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://shop.example.com"]);
        allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldContain("authorization");
        allowed.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldContain("POST");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://shop.example.com"]);
    }

    [Fact]
    public async Task Other_origins_are_refused_before_anything_is_stored()
    {
        var (connection, escalation) = api.NewChat();
        using var client = api.Client(WebChatApi.Token(connection), origin: "https://evil.example.com");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Path(connection, "messages"));
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var refused = await client.SendAsync(preflight, Ct);
        using var post = await client.PostAsJsonAsync(Path(connection, "messages"), new { id = "m1", text = "hi" }, Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        post.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        api.Core.Received.ShouldNotContain(m => m.EscalationId == escalation);
    }

    static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never held.");
            await Task.Delay(20, Ct);
        }
    }
}
