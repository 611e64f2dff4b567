using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Client.WebChat;
using AwaitHuman.Connectors;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Channels.WebChat;

public class WebChatTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_customer_message_appears_on_the_escalation_once_even_when_the_post_is_retried()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        using var visitor = chat.Visitor(_app);
        var message = new { id = "9b2f0c1e", text = "It was charged on the 3rd and the 4th." };

        using var first = await visitor.PostAsJsonAsync(chat.Path("messages"), message, Ct);
        using var retried = await visitor.PostAsJsonAsync(chat.Path("messages"), message, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        retried.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await chat.CustomerLinesAsync()).ShouldBe(["I was charged twice for order 1042.", "It was charged on the 3rd and the 4th."]);
        var escalation = await chat.Operator.GetEscalationAsync(chat.EscalationId);
        var line = escalation.GetProperty("transcript").EnumerateArray().Last();
        line.GetProperty("channel").GetString().ShouldBe("webchat");
    }

    [Fact]
    public async Task The_operators_reply_arrives_on_the_stream_and_the_widgets_receipts_mark_it_read()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        using var visitor = chat.Visitor(_app);
        using var stream = await EventReader.OpenAsync(visitor, chat.Path("events"));
        (await stream.MessagesAsync(2)).Select(e => e.Data.GetProperty("from").GetString()).ShouldBe(["customer", "agent"]);

        await chat.ReplyAsync("We refunded the second charge.");

        var reply = (await stream.MessagesAsync(1)).Single();
        reply.Id.ShouldBe("3");
        reply.Data.GetProperty("from").GetString().ShouldBe("operator");
        reply.Data.GetProperty("text").GetString().ShouldBe("We refunded the second charge.");

        using var read = await visitor.PostAsJsonAsync(chat.Path("receipts"), new { state = "read", up_to = 3 }, Ct);
        read.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Eventually.HappensAsync(async () =>
        {
            var conversation = await visitor.GetFromJsonAsync<System.Text.Json.JsonElement>(chat.Path("conversation?after=2"), Ct);
            return conversation.GetProperty("messages")[0].GetProperty("delivery_state").GetString() == "read";
        }, TimeSpan.FromSeconds(10), "the reply to be read");
    }

    [Fact]
    public async Task A_reconnect_with_Last_Event_ID_replays_exactly_the_missed_messages()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        using var visitor = chat.Visitor(_app);
        using (var first = await EventReader.OpenAsync(visitor, chat.Path("events")))
            (await first.MessagesAsync(2)).Last().Id.ShouldBe("2");

        await chat.ReplyAsync("First, while you were away.");
        await chat.ReplyAsync("Second, while you were away.");

        using var resumed = await EventReader.OpenAsync(visitor, chat.Path("events"), lastEventId: "2");
        var missed = await resumed.MessagesAsync(2);
        missed.Select(e => (e.Id, e.Data.GetProperty("text").GetString())).ShouldBe(
            [("3", "First, while you were away."), ("4", "Second, while you were away.")]);
        await Should.ThrowAsync<OperationCanceledException>(() => resumed.NextAsync(TimeSpan.FromSeconds(1), "message"));
    }

    [Fact]
    public async Task Typing_shows_both_ways()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        var escalation = Guid.Parse(chat.EscalationId);
        var feed = _app.Services.GetRequiredService<IConversationFeed>();
        using var visitor = chat.Visitor(_app);
        using var stream = await EventReader.OpenAsync(visitor, chat.Path("events"));
        await stream.MessagesAsync(2);

        // The operator's console side: watching the same conversation.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        watching.CancelAfter(TimeSpan.FromSeconds(10));
        var operatorSees = feed.WatchAsync(chat.Tenant.TenantId, escalation, watching.Token)
            .OfType<ConversationSignal.Typing>()
            .FirstAsync(watching.Token);
        await Task.Delay(200, Ct);

        using var typing = await visitor.PostAsync(chat.Path("typing"), null, Ct);
        typing.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await operatorSees).ShouldBe(new ConversationSignal.Typing(ConversationParties.Customer, "Ada Lovelace"));

        await feed.NotifyTypingAsync(chat.Tenant.TenantId, escalation, ConversationParties.Operator, "Olga", Ct);
        var shown = await stream.NextAsync(null, "typing");
        shown.Data.GetProperty("party").GetString().ShouldBe("operator");
        shown.Data.GetProperty("name").GetString().ShouldBe("Olga");
    }

    [Fact]
    public async Task Browsers_only_from_the_connections_allowed_origins()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        using var allowed = chat.Visitor(_app, origin: WebChatScenario.AllowedOrigin);
        using var other = chat.Visitor(_app, origin: "https://evil.example.com");

        using var preflight = new HttpRequestMessage(HttpMethod.Options, chat.Path("messages"));
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        using var passed = await allowed.SendAsync(preflight, Ct);
        using var refusedPreflight = await other.SendAsync(new HttpRequestMessage(HttpMethod.Options, chat.Path("messages")), Ct);
        using var refusedPost = await other.PostAsJsonAsync(chat.Path("messages"), new { id = "x1", text = "from elsewhere" }, Ct);
        using var allowedPost = await allowed.PostAsJsonAsync(chat.Path("messages"), new { id = "x2", text = "from the shop" }, Ct);

        passed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        passed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([WebChatScenario.AllowedOrigin]);
        refusedPreflight.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refusedPreflight.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        refusedPost.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        allowedPost.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        allowedPost.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([WebChatScenario.AllowedOrigin]);
        (await chat.CustomerLinesAsync()).ShouldBe(["I was charged twice for order 1042.", "from the shop"]);
    }

    [Fact]
    public async Task Missing_expired_forged_or_other_connections_tokens_are_401_and_store_nothing()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        var elsewhere = await WebChatScenario.StartAsync(_app, conversation: chat.Conversation);
        var past = new FixedClock(DateTimeOffset.UtcNow.AddHours(-3));
        string?[] tokens =
        [
            null,
            WebChatSessionTokens.Create(WebChatScenario.Secret, chat.ConnectionId, "visitor-42", chat.Conversation, lifetime: TimeSpan.FromHours(1), timeProvider: past),
            WebChatSessionTokens.Create("a-forged-secret-of-at-least-32-characters!", chat.ConnectionId, "visitor-42", chat.Conversation),
            // The other tenant's connection, same conversation ref, same secret: still not this chat.
            elsewhere.Token,
        ];

        foreach (var token in tokens)
        {
            using var visitor = chat.Visitor(_app, token ?? "");
            if (token is null) visitor.DefaultRequestHeaders.Authorization = null;
            using var post = await visitor.PostAsJsonAsync(chat.Path("messages"), new { id = "t1", text = "sneaky" }, Ct);
            using var read = await visitor.GetAsync(chat.Path("conversation"), Ct);
            post.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            read.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await chat.CustomerLinesAsync()).ShouldBe(["I was charged twice for order 1042."]);
    }

    [Fact]
    public async Task Each_tenants_visitor_sees_only_their_own_escalation_even_with_the_same_conversation_ref()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        var elsewhere = await WebChatScenario.StartAsync(_app, conversation: chat.Conversation);
        await elsewhere.ReplyAsync("Only for the other tenant's customer.");
        using var visitor = chat.Visitor(_app);

        var conversation = await visitor.GetFromJsonAsync<System.Text.Json.JsonElement>(chat.Path("conversation"), Ct);

        conversation.GetProperty("escalation_id").GetString().ShouldBe(chat.EscalationId);
        conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString())
            .ShouldNotContain("Only for the other tenant's customer.");
    }

    [Fact]
    public async Task An_oversized_message_is_400_naming_text_and_nothing_is_stored()
    {
        var chat = await WebChatScenario.StartAsync(_app);
        using var visitor = chat.Visitor(_app);

        using var response = await visitor.PostAsJsonAsync(chat.Path("messages"), new { id = "big", text = new string('x', 4001) }, Ct);

        await response.ShouldBeInvalidAsync("text");
        (await chat.CustomerLinesAsync()).ShouldBe(["I was charged twice for order 1042."]);
    }

    [Fact]
    public async Task The_widget_script_is_served_by_the_plugin_with_caching_headers()
    {
        using var client = _app.CreateHttpClient();

        using var response = await client.GetAsync("/connectors/webchat/widget.js", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromHours(1));
        response.Headers.ETag.ShouldNotBeNull();
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("AwaitHumanChat");
    }

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
