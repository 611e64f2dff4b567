using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwaitHuman.Server.Hosting;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Testing.Fakes;

/// <summary>
/// SendGrid's Mail Send API on 127.0.0.1 (WireMock), one per connector test or one for a whole test
/// host (<see cref="Shared"/>). It answers 202 with an X-Message-Id unless told otherwise and keeps
/// every request. A request that is not the documented Mail Send (POST /v3/mail/send, a Bearer API
/// key, a JSON body with personalizations, from, subject and content) gets SendGrid's 400, so every
/// send through it checks the wire format, not only the tests that look at the request.
/// </summary>
public sealed class FakeSendGrid : IDisposable
{
    const string TryAgain = """{"errors":[{"message":"try again","field":null}]}""";

    static readonly Lazy<FakeSendGrid> SharedFake = new(() => new FakeSendGrid());

    readonly WireMockServer _server;
    readonly ConcurrentQueue<Answer> _answers = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _answersByEscalation = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _answersByRecipient = new(StringComparer.OrdinalIgnoreCase);

    public FakeSendGrid()
    {
        var port = LoopbackPort.Free();
        _server = WireMockServer.Start($"http://127.0.0.1:{port}");
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(AnswerTo));
        Url = $"http://127.0.0.1:{port}";
    }

    /// <summary>The fake a whole test host sends to; tests tell their requests apart by escalation or recipient.</summary>
    public static FakeSendGrid Shared => SharedFake.Value;

    public string Url { get; }

    /// <summary>Every request, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> Requests => [.. _server.LogEntries.Select(e => e.RequestMessage!).OrderBy(r => r.DateTime)];

    /// <summary>Mail Send requests for one escalation (the id SendGrid echoes back in custom_args), oldest first.</summary>
    public IReadOnlyList<IRequestMessage> RequestsFor(string escalationId) => [.. Requests.Where(r => EscalationOf(r) == escalationId)];

    /// <summary>Mail Send requests to one address (account mail carries no escalation), oldest first.</summary>
    public IReadOnlyList<IRequestMessage> RequestsTo(string email) =>
        [.. Requests.Where(r => string.Equals(RecipientOf(r), email, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The next answer to whichever well-formed request comes next.</summary>
    public void AnswerNext(int status, string body = "", Dictionary<string, string>? headers = null) =>
        _answers.Enqueue(new Answer(status, body, headers ?? new Dictionary<string, string>()));

    /// <summary>The statuses of the next answers for one escalation's emails; 202 after them.</summary>
    public void AnswerNextFor(string escalationId, params int[] statuses) =>
        Enqueue(_answersByEscalation.GetOrAdd(escalationId, _ => new ConcurrentQueue<Answer>()), statuses);

    /// <summary>The statuses of the next answers for mail to one address; 202 after them.</summary>
    public void AnswerNextTo(string email, params int[] statuses) =>
        Enqueue(_answersByRecipient.GetOrAdd(email, _ => new ConcurrentQueue<Answer>()), statuses);

    public static JsonObject BodyOf(IRequestMessage request) => JsonNode.Parse(request.Body!)!.AsObject();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    static void Enqueue(ConcurrentQueue<Answer> queue, int[] statuses)
    {
        foreach (var status in statuses) queue.Enqueue(new Answer(status, TryAgain, new Dictionary<string, string>()));
    }

    IResponseMessage AnswerTo(IRequestMessage request)
    {
        if (WireProblem(request) is { } problem)
            return Respond(new Answer(400, JsonSerializer.Serialize(new { errors = new[] { new { message = $"fake SendGrid: {problem.Message}", field = problem.Field } } }),
                new Dictionary<string, string>()));

        var scripted = Dequeue(EscalationOf(request) is { } escalation ? _answersByEscalation.GetValueOrDefault(escalation) : null)
            ?? Dequeue(RecipientOf(request) is { } recipient ? _answersByRecipient.GetValueOrDefault(recipient) : null)
            ?? Dequeue(_answers);
        return Respond(scripted ?? new Answer(202, "", new Dictionary<string, string> { ["X-Message-Id"] = $"sg-{Guid.NewGuid():N}" }));
    }

    static Answer? Dequeue(ConcurrentQueue<Answer>? queue) => queue is not null && queue.TryDequeue(out var next) ? next : null;

    static ResponseMessage Respond(Answer answer) => new()
    {
        StatusCode = answer.Status,
        Headers = answer.Headers.ToDictionary(h => h.Key, h => new WireMockList<string>(h.Value)),
        BodyData = answer.Body.Length == 0 ? null : new BodyData { BodyAsString = answer.Body, DetectedBodyType = BodyType.String },
    };

    /// <summary>What SendGrid would refuse in this request, by the field it names.</summary>
    static (string Message, string? Field)? WireProblem(IRequestMessage request)
    {
        if (request.Method != "POST" || request.Path != "/v3/mail/send") return ($"{request.Method} {request.Path} is not Mail Send", null);
        if (Header(request, "Authorization") is not { } authorization || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length == "Bearer ".Length)
            return ("no Bearer API key", null);
        if (Header(request, "Content-Type") is not { } contentType || !contentType.StartsWith("application/json", StringComparison.Ordinal))
            return ("the body is not JSON", null);

        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body ?? "") as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return ($"the body is not a JSON object: {e.Message}", null);
        }
        if (body["personalizations"] is not JsonArray { Count: > 0 } personalizations
            || personalizations.Any(p => p?["to"] is not JsonArray { Count: > 0 } to || to.Any(address => !HasText(address?["email"]))))
            return ("every personalization needs a to address", "personalizations");
        if (!HasText(body["from"]?["email"])) return ("the from address is required", "from.email");
        if (!HasText(body["subject"])) return ("the subject is required", "subject");
        if (body["content"] is not JsonArray { Count: > 0 } content || content.Any(c => !HasText(c?["type"]) || !HasText(c?["value"])))
            return ("content needs a type and a value", "content");
        return null;
    }

    static bool HasText(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0;

    static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    static string? EscalationOf(IRequestMessage request) => Field(request, body => body["custom_args"]?["escalation_id"]);

    static string? RecipientOf(IRequestMessage request) => Field(request, body => body["personalizations"]?[0]?["to"]?[0]?["email"]);

    static string? Field(IRequestMessage request, Func<JsonNode, JsonNode?> path)
    {
        try
        {
            return request.Body is null || JsonNode.Parse(request.Body) is not { } body ? null
                : path(body) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    sealed record Answer(int Status, string Body, IReadOnlyDictionary<string, string> Headers);
}
