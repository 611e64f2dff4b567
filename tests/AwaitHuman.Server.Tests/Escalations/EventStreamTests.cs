using System.Net;
using System.Text.Json;
using AwaitHuman.Testing;

namespace AwaitHuman.Server.Tests.Escalations;

public class EventStreamTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record ServerSentEvent(string Id, string Type, JsonElement Data);

    /// <summary>Reads events off an open stream until <paramref name="count"/> arrived.</summary>
    static async Task<List<ServerSentEvent>> ReadAsync(StreamReader reader, int count)
    {
        var events = new List<ServerSentEvent>();
        string? id = null, type = null, data = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (events.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ")) id = line[4..];
            else if (line.StartsWith("event: ")) type = line[7..];
            else if (line.StartsWith("data: ")) data = line[6..];
            else if (line.Length == 0 && data is not null)
            {
                events.Add(new ServerSentEvent(id!, type!, JsonDocument.Parse(data).RootElement.Clone()));
                id = type = data = null;
            }
        }
        return events;
    }

    static async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenAsync(HttpClient client, string id, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/escalations/{id}/events");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync(Ct)));
    }

    [Fact]
    public async Task Events_arrive_live_and_a_reconnect_with_Last_Event_ID_gets_only_what_it_missed()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var human = _app.CreateHttpClient((await _app.NewMemberAsync(tenant, "operator")).Token);
        var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;

        var (first, reader) = await OpenAsync(agent, id);
        using (first)
        using (reader)
        {
            var opened = (await ReadAsync(reader, 1)).Single();
            opened.Type.ShouldBe("escalation.opened");
            opened.Id.ShouldBe("1");
            opened.Data.GetProperty("escalation_id").GetString().ShouldBe(id);

            await human.ActOkAsync(id, "claim");
            var claimed = (await ReadAsync(reader, 1)).Single();
            claimed.Type.ShouldBe("escalation.claimed");
            claimed.Id.ShouldBe("2");
        }

        // Disconnected: these happen while nobody listens.
        await human.ActOkAsync(id, "reply", new { content = "On it." });
        await human.ActOkAsync(id, "resolve", new { outcome = "resolved", resolution = new { summary = "Fixed." } });

        var (second, resumed) = await OpenAsync(agent, id, lastEventId: "2");
        using (second)
        using (resumed)
        {
            // The reply's delivery (through the agent relay) is recorded by its own handler, before or after the resolve.
            var missed = await ReadAsync(resumed, 3);
            missed.Select(e => e.Id).ShouldBe(["3", "4", "5"]);
            missed[0].Type.ShouldBe("escalation.operator_replied");
            missed.Skip(1).Select(e => e.Type).ShouldBe(["escalation.delivery_updated", "escalation.resolved"], ignoreOrder: true);
            missed.Single(e => e.Type == "escalation.resolved").Data.GetProperty("hand_back").GetProperty("outcome").GetString().ShouldBe("resolved");
        }
    }

    [Fact]
    public async Task A_malformed_Last_Event_ID_is_a_400()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await agent.OpenEscalationAsync()).GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/escalations/{id}/events");
        request.Headers.Add("Last-Event-ID", "yesterday");
        using var response = await agent.SendAsync(request, Ct);
        await response.ShouldBeInvalidAsync("Last-Event-ID");
    }
}
