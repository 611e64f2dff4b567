using System.Collections.Concurrent;
using System.Security.Cryptography;
using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Server.Tests.Channels.Twilio;

/// <summary>A Messages resource request as the fake Twilio received it.</summary>
/// <param name="Status">What the fake answered: 201 when it took the message (<paramref name="Sid"/>).</param>
public sealed record TwilioSend(DateTime At, string AccountSid, string Path, string? Authorization, IReadOnlyDictionary<string, string> Form, int Status, string Sid)
{
    public string? Field(string name) => Form.TryGetValue(name, out var value) ? value : null;

    public bool Accepted => Status == 201;

    /// <summary>Our message id, from the status callback URL the send named.</summary>
    public Guid? MessageId => Field("StatusCallback") is { } url && Guid.TryParse(QueryHelpers.ParseQuery(new Uri(url).Query).GetValueOrDefault("message_id"), out var id) ? id : null;
}

/// <summary>
/// Twilio's REST API on 127.0.0.1 (WireMock), one for the shared host (its
/// <c>Connectors:Twilio:ApiBaseUrl</c>) or one per test server. Each test uses an account SID of
/// its own, so it reads only its sends; answers are scripted per account (201 with a new
/// message SID unless told otherwise).
/// </summary>
public sealed class TwilioApiFake : IDisposable
{
    static readonly Lazy<TwilioApiFake> SharedFake = new(() => new TwilioApiFake());

    /// <summary>The fake the shared test host sends to.</summary>
    public static TwilioApiFake Shared => SharedFake.Value;

    readonly WireMockServer _server;
    readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answers = new();
    readonly ConcurrentQueue<TwilioSend> _sends = new();

    public TwilioApiFake(int? port = null)
    {
        var chosen = port ?? LoopbackPort.Free();
        _server = WireMockServer.Start($"http://127.0.0.1:{chosen}");
        _server.Given(Request.Create().UsingPost().WithPath(new WireMock.Matchers.RegexMatcher("^/2010-04-01/Accounts/[^/]+/Messages\\.json$")))
            .RespondWith(Response.Create().WithCallback(Answer));
        BaseUrl = new Uri($"http://127.0.0.1:{chosen}");
    }

    public Uri BaseUrl { get; }

    /// <summary>A fresh account SID: AC and 32 hex digits.</summary>
    public static string NewAccountSid() => "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The statuses of the next answers to <paramref name="accountSid"/>, in order; 201 after them.</summary>
    public void AnswerNext(string accountSid, params int[] statuses)
    {
        var queue = _answers.GetOrAdd(accountSid, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses) queue.Enqueue(status);
    }

    /// <summary>Every send of <paramref name="accountSid"/>, answered or not, oldest first.</summary>
    public IReadOnlyList<TwilioSend> SendsOf(string accountSid) => [.. _sends.Where(s => s.AccountSid == accountSid).OrderBy(s => s.At)];

    public Task<IReadOnlyList<TwilioSend>> SendsAsync(string accountSid, int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => SendsOf(accountSid) is { } sends && sends.Count >= count ? sends : null,
            timeout ?? TimeSpan.FromSeconds(30), $"{count} send(s) at the fake Twilio for {accountSid}");

    IResponseMessage Answer(IRequestMessage request)
    {
        var accountSid = request.Path.Split('/')[3];
        var status = _answers.TryGetValue(accountSid, out var queue) && queue.TryDequeue(out var next) ? next : 201;
        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var form = new FormReader(request.Body ?? "").ReadForm().ToDictionary(f => f.Key, f => f.Value.ToString());
        string? Header(string name) => request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();
        _sends.Enqueue(new TwilioSend(request.DateTime, accountSid, request.Path, Header("Authorization"), form, status, status == 201 ? sid : ""));

        var body = status switch
        {
            201 => $$"""{"sid":"{{sid}}","status":"queued","account_sid":"{{accountSid}}","to":"{{form.GetValueOrDefault("To")}}"}""",
            429 => """{"code":20429,"message":"Too Many Requests","status":429}""",
            _ when status >= 500 => $$"""{"code":20500,"message":"Internal Server Error","status":{{status}}}""",
            _ => $$"""{"code":21211,"message":"The 'To' number is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":{{status}}}""",
        };
        var headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") };
        if (status == 429) headers["Retry-After"] = new("1");
        return new ResponseMessage
        {
            StatusCode = status,
            Headers = headers,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
        };
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}
