using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AwaitHuman.Server.Hosting;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Server.Tests.Channels.SendGrid;

/// <summary>
/// SendGrid's API on 127.0.0.1 for the whole test host (its URL is configured once, in
/// <see cref="ServerTestsHost"/>): answers Mail Send with 202 and keeps every request. Tests tell
/// their requests apart by the escalation id SendGrid would echo back (custom_args).
/// </summary>
public sealed class FakeSendGridApi
{
    static readonly Lazy<FakeSendGridApi> Instance = new(() => new FakeSendGridApi());
    readonly WireMockServer _server;
    readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answersByEscalation = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answersByRecipient = new(StringComparer.OrdinalIgnoreCase);

    FakeSendGridApi()
    {
        var port = LoopbackPort.Free();
        _server = WireMockServer.Start($"http://127.0.0.1:{port}");
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(Answer));
        Url = $"http://127.0.0.1:{port}";
    }

    public static FakeSendGridApi Shared => Instance.Value;

    public string Url { get; }

    /// <summary>Mail Send requests for one escalation, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> RequestsFor(string escalationId) =>
        [.. _server.LogEntries.Select(e => e.RequestMessage!).Where(r => EscalationOf(r) == escalationId).OrderBy(r => r.DateTime)];

    /// <summary>The statuses of the next answers for one escalation's emails; 202 after them.</summary>
    public void AnswerNext(string escalationId, params int[] statuses)
    {
        var queue = _answersByEscalation.GetOrAdd(escalationId, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses) queue.Enqueue(status);
    }

    /// <summary>Mail Send requests to one address (account mail carries no escalation), oldest first.</summary>
    public IReadOnlyList<IRequestMessage> RequestsTo(string email) =>
        [.. _server.LogEntries.Select(e => e.RequestMessage!).Where(r => string.Equals(RecipientOf(r), email, StringComparison.OrdinalIgnoreCase)).OrderBy(r => r.DateTime)];

    /// <summary>The statuses of the next answers for mail to one address; 202 after them.</summary>
    public void AnswerNextTo(string email, params int[] statuses)
    {
        var queue = _answersByRecipient.GetOrAdd(email, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses) queue.Enqueue(status);
    }

    public static JsonObject BodyOf(IRequestMessage request) => JsonNode.Parse(request.Body!)!.AsObject();

    static string? EscalationOf(IRequestMessage request)
    {
        try
        {
            return request.Body is null ? null : JsonNode.Parse(request.Body)?["custom_args"]?["escalation_id"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    static string? RecipientOf(IRequestMessage request)
    {
        try
        {
            return request.Body is null ? null : JsonNode.Parse(request.Body)?["personalizations"]?[0]?["to"]?[0]?["email"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    IResponseMessage Answer(IRequestMessage request)
    {
        var queue = EscalationOf(request) is { } id ? _answersByEscalation.GetValueOrDefault(id)
            : RecipientOf(request) is { } to ? _answersByRecipient.GetValueOrDefault(to) : null;
        var status = queue is not null && queue.TryDequeue(out var next) ? next : 202;
        return status == 202
            ? new ResponseMessage { StatusCode = 202, Headers = new Dictionary<string, WireMockList<string>> { ["X-Message-Id"] = new($"sg-{Guid.NewGuid():N}") } }
            : new ResponseMessage
            {
                StatusCode = status,
                BodyData = new BodyData { BodyAsString = """{"errors":[{"message":"try again","field":null}]}""", DetectedBodyType = BodyType.String },
            };
    }
}
