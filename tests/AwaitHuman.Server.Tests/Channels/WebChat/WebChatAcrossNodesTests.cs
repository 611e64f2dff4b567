using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Channels.WebChat;

/// <summary>The customer's connection on one node, the operator's on the other, one database.</summary>
public class WebChatAcrossNodesTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customer_on_one_node_and_operator_on_the_other_hear_each_other_within_a_second()
    {
        await using var nodes = await TwoNodes.StartAsync("webchat_across_nodes");
        var chat = await WebChatScenario.StartAsync(nodes.First);
        using var visitor = chat.Visitor(nodes.First);
        using var customerStream = await EventReader.OpenAsync(visitor, chat.Path("events"));
        await customerStream.MessagesAsync(2);

        // The operator works on the second node.
        var tenantOperator = nodes.Second.CreateHttpClient(chat.Operator.DefaultRequestHeaders.Authorization!.Parameter!);
        using var operatorStream = await OpenEscalationEventsAsync(tenantOperator, chat.EscalationId);

        var replying = Stopwatch.StartNew();
        await tenantOperator.ActOkAsync(chat.EscalationId, "reply", new { content = "Answered from node two.", channel = "webchat" });
        var reply = (await customerStream.MessagesAsync(1)).Single();
        replying.Stop();
        reply.Data.GetProperty("text").GetString().ShouldBe("Answered from node two.");
        replying.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));

        var writing = Stopwatch.StartNew();
        using var sent = await visitor.PostAsJsonAsync(chat.Path("messages"), new { id = "n1", text = "Written on node one." }, Ct);
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var heard = await operatorStream.NextAsync(TimeSpan.FromSeconds(5), "escalation.customer_replied");
        writing.Stop();
        heard.Data.GetRawText().ShouldContain("Written on node one.");
        writing.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    /// <summary>The operator's live view of the escalation (the console's stream), skipping what happened before.</summary>
    static async Task<EventReader> OpenEscalationEventsAsync(HttpClient client, string escalationId)
    {
        var version = (await client.GetEscalationAsync(escalationId)).GetProperty("version").GetInt64();
        return await EventReader.OpenAsync(client, $"/v1/escalations/{escalationId}/events", lastEventId: version.ToString());
    }
}
