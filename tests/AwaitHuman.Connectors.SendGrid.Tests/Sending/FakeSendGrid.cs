using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Connectors.SendGrid.Tests.Sending;

/// <summary>SendGrid's API on 127.0.0.1: answers Mail Send with 202 and an X-Message-Id unless told otherwise, and keeps every request.</summary>
public sealed class FakeSendGrid : IDisposable
{
    private readonly WireMockServer server;
    private readonly ConcurrentQueue<(int Status, string Body, Dictionary<string, string> Headers)> answers = new();
    private int accepted;

    public FakeSendGrid()
    {
        var port = TestConnections.FreeLoopbackPort();
        server = WireMockServer.Start($"http://127.0.0.1:{port}");
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(_ => Answer()));
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public void AnswerNext(int status, string body = "", Dictionary<string, string>? headers = null) =>
        answers.Enqueue((status, body, headers ?? []));

    public IReadOnlyList<IRequestMessage> Requests => [.. server.LogEntries.Select(e => e.RequestMessage!).OrderBy(r => r.DateTime)];

    public static JsonObject BodyOf(IRequestMessage request) => JsonNode.Parse(request.Body!)!.AsObject();

    private IResponseMessage Answer()
    {
        if (answers.TryDequeue(out var next))
        {
            return new ResponseMessage
            {
                StatusCode = next.Status,
                Headers = next.Headers.ToDictionary(h => h.Key, h => new WireMockList<string>(h.Value)),
                BodyData = new BodyData { BodyAsString = next.Body, DetectedBodyType = BodyType.String },
            };
        }
        return new ResponseMessage
        {
            StatusCode = 202,
            Headers = new Dictionary<string, WireMockList<string>> { ["X-Message-Id"] = new($"sg-{Interlocked.Increment(ref accepted)}") },
        };
    }

    public void Dispose() => server.Stop();
}
