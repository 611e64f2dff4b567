using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwaitHuman.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Testing.Fakes;

/// <summary>A request as the fake Twilio received it: the wire format as sent, and what the fake answered.</summary>
/// <param name="AccountSid">The account the path names; empty when the path is not an account's Messages resource.</param>
/// <param name="Form">The form fields in the order sent, a repeated name once per value.</param>
/// <param name="Status">What the fake answered: 201 when it took the message (<paramref name="Sid"/>).</param>
public sealed record TwilioRequest(
    DateTime At, string Method, string Path, string AccountSid, string? Authorization, string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Form, int Status, string Sid)
{
    public string? Field(string name) => Form.Where(f => f.Key == name).Select(f => f.Value).FirstOrDefault();

    public bool Accepted => Status == 201;

    /// <summary>Our message id, from the status callback URL the send named.</summary>
    public Guid? MessageId => Field("StatusCallback") is { } url && Guid.TryParse(QueryHelpers.ParseQuery(new Uri(url).Query).GetValueOrDefault("message_id"), out var id) ? id : null;
}

/// <summary>One scripted answer of the fake Twilio to a well-formed send.</summary>
/// <param name="Sid">The message SID a 201 names; a new one when null.</param>
/// <param name="Body">The response body; Twilio's usual body for <paramref name="Status"/> when null.</param>
public sealed record TwilioAnswer(int Status, string? Sid = null, string MessageStatus = "queued", string? Body = null, TimeSpan Delay = default)
{
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    public static TwilioAnswer Created(string sid, string status = "queued") => new(201, sid, status);

    /// <summary>Twilio's error body: its code, message and documentation link.</summary>
    public static TwilioAnswer Error(int status, int code, string message, params (string Name, string Value)[] headers) =>
        new(status, Body: $$"""{"code":{{code}},"message":"{{JsonEncodedText.Encode(message)}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""") { Headers = headers };
}

/// <summary>
/// Twilio's REST API on 127.0.0.1 (WireMock): the Messages resource
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>), one for the shared test host or
/// one per test. It answers only what Twilio accepts: HTTP basic auth as the path's account (or
/// an API key), a form-encoded body with To, a sender and content; anything else gets Twilio's
/// refusal (401, 404 or 400 with Twilio's error code). Each test uses an account SID of its own,
/// so it reads only its sends; answers are scripted per account (201 with a new message SID unless
/// told otherwise).
/// </summary>
public sealed partial class TwilioApiFake : IDisposable
{
    static readonly Lazy<TwilioApiFake> SharedFake = new(() => new TwilioApiFake());

    /// <summary>The fake the shared test host sends to.</summary>
    public static TwilioApiFake Shared => SharedFake.Value;

    readonly WireMockServer _server;
    readonly ConcurrentDictionary<string, ConcurrentQueue<TwilioAnswer>> _answers = new();
    readonly ConcurrentQueue<TwilioRequest> _received = new();

    public TwilioApiFake(int? port = null)
    {
        var chosen = port ?? LoopbackPort.Free();
        _server = WireMockServer.Start($"http://127.0.0.1:{chosen}");
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(AnswerAsync));
        BaseUrl = new Uri($"http://127.0.0.1:{chosen}");
    }

    public Uri BaseUrl { get; }

    /// <summary>A fresh account SID: AC and 32 hex digits.</summary>
    public static string NewAccountSid() => "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The next answers to <paramref name="accountSid"/>'s sends, in order; 201 after them.</summary>
    public void AnswerNext(string accountSid, params TwilioAnswer[] answers)
    {
        var queue = _answers.GetOrAdd(accountSid, _ => new ConcurrentQueue<TwilioAnswer>());
        foreach (var answer in answers) queue.Enqueue(answer);
    }

    /// <summary>The statuses of the next answers to <paramref name="accountSid"/>, with Twilio's usual bodies; 201 after them.</summary>
    public void AnswerNext(string accountSid, params int[] statuses) => AnswerNext(accountSid, [.. statuses.Select(status => new TwilioAnswer(status))]);

    /// <summary>Every request, whatever its path, oldest first.</summary>
    public IReadOnlyList<TwilioRequest> Received => [.. _received.OrderBy(r => r.At)];

    /// <summary>Every send of <paramref name="accountSid"/>, answered or not, oldest first.</summary>
    public IReadOnlyList<TwilioRequest> SendsOf(string accountSid) => [.. Received.Where(s => s.AccountSid == accountSid)];

    public Task<IReadOnlyList<TwilioRequest>> SendsAsync(string accountSid, int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => SendsOf(accountSid) is { } sends && sends.Count >= count ? sends : null,
            timeout ?? TimeSpan.FromSeconds(30), $"{count} send(s) at the fake Twilio for {accountSid}");

    [GeneratedRegex("^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\\.json$")]
    private static partial Regex MessagesPath();

    async Task<IResponseMessage> AnswerAsync(IRequestMessage request)
    {
        string? Header(string name) => request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();
        var contentType = Header("Content-Type");
        var isForm = contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        List<KeyValuePair<string, string>> form = isForm
            ? [.. new FormReader(request.Body ?? "").ReadForm().SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")))]
            : [];
        var path = MessagesPath().Match(request.Path);
        var accountSid = path.Success ? path.Groups[1].Value : "";
        string? Field(string name) => form.Where(f => f.Key == name).Select(f => f.Value).FirstOrDefault();

        var answer = Refusal(request.Method, path.Success, accountSid, Header("Authorization"), isForm, Field)
            ?? (_answers.TryGetValue(accountSid, out var queue) && queue.TryDequeue(out var next) ? next : new TwilioAnswer(201));
        var sid = answer.Status == 201 ? answer.Sid ?? "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : "";
        _received.Enqueue(new TwilioRequest(request.DateTime, request.Method, request.Path, accountSid, Header("Authorization"), contentType, form, answer.Status, sid));

        if (answer.Delay > TimeSpan.Zero)
            await Task.Delay(answer.Delay);
        var body = answer.Body ?? answer.Status switch
        {
            201 => $$"""{"sid":"{{sid}}","status":"{{answer.MessageStatus}}","account_sid":"{{accountSid}}","to":"{{JsonEncodedText.Encode(Field("To") ?? "")}}","error_code":null,"error_message":null}""",
            429 => """{"code":20429,"message":"Too Many Requests","status":429}""",
            _ when answer.Status >= 500 => $$"""{"code":20500,"message":"Internal Server Error","status":{{answer.Status}}}""",
            _ => $$"""{"code":21211,"message":"The 'To' number is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":{{answer.Status}}}""",
        };
        var headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") };
        if (answer.Status == 429 && answer.Body is null) headers["Retry-After"] = new("1");
        foreach (var (name, value) in answer.Headers) headers[name] = new(value);
        return new ResponseMessage
        {
            StatusCode = answer.Status,
            Headers = headers,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
        };
    }

    /// <summary>Twilio's answer to a request it would not take, or null for a well-formed send.</summary>
    static TwilioAnswer? Refusal(string method, bool isMessagesPath, string accountSid, string? authorization, bool isForm, Func<string, string?> field)
    {
        if (method != "POST" || !isMessagesPath)
            return TwilioAnswer.Error(404, 20404, "The requested resource was not found");
        // The account's SID and auth token, or an API key (SK...) and its secret.
        if (BasicCredentials(authorization) is not var (user, password) || password.Length == 0 || !(user == accountSid || user.StartsWith("SK", StringComparison.Ordinal)))
            return TwilioAnswer.Error(401, 20003, "Authenticate");
        if (!isForm || field("To") is not { Length: > 0 })
            return TwilioAnswer.Error(400, 21604, "A 'To' phone number is required.");
        if (field("From") is null && field("MessagingServiceSid") is null)
            return TwilioAnswer.Error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
        if (field("Body") is null && field("ContentSid") is null)
            return TwilioAnswer.Error(400, 21602, "Message body is required.");
        return null;
    }

    static (string User, string Password)? BasicCredentials(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.Ordinal))
            return null;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
            return pair.IndexOf(':') is var colon and >= 0 ? (pair[..colon], pair[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}
