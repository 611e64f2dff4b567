using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace AwaitHuman.Server.Tests.Webhooks;

/// <summary>A webhook as the agent's server received it.</summary>
public sealed record ReceivedWebhook(DateTime At, string Path, string? Id, string? Timestamp, string? Signature, string? ContentType, string? UserAgent, string Body);

/// <summary>
/// An agent's webhook receiver on 127.0.0.1 (WireMock). It answers 200 unless told to answer
/// something else next, and keeps every request it got.
/// </summary>
public sealed class FakeAgent : IDisposable
{
    readonly WireMockServer _server;
    readonly ConcurrentQueue<int> _answers = new();

    public FakeAgent()
    {
        // WireMock listens on the loopback addresses only (127.0.0.1 and ::1) for a loopback URL.
        var port = LoopbackPort.Free();
        _server = WireMockServer.Start($"http://127.0.0.1:{port}");
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(_ => Answer()));
        Url = $"http://127.0.0.1:{port}/hooks";
    }

    public string Url { get; }

    /// <summary>The statuses of the next answers, in order; 200 after them.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses) _answers.Enqueue(status);
    }

    public IReadOnlyList<ReceivedWebhook> Received =>
        [.. _server.LogEntries.Select(entry => Read(entry.RequestMessage!)).OrderBy(received => received.At)];

    public Task<IReadOnlyList<ReceivedWebhook>> ReceivedAsync(int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => Received.Count >= count ? Received : null, timeout ?? TimeSpan.FromSeconds(30), $"{count} webhook(s) at the fake agent");

    IResponseMessage Answer()
    {
        var status = _answers.TryDequeue(out var next) ? next : 200;
        return new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = status < 300 ? "thanks" : $"the agent is down ({status})", DetectedBodyType = BodyType.String },
        };
    }

    static ReceivedWebhook Read(IRequestMessage request)
    {
        string? Header(string name) => request.Headers?.FirstOrDefault(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();
        var body = request.BodyAsBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : request.Body ?? "";
        return new ReceivedWebhook(request.DateTime, request.Path, Header("webhook-id"), Header("webhook-timestamp"), Header("webhook-signature"),
            Header("content-type"), Header("user-agent"), body);
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}

/// <summary>
/// Verification as an agent would write it from the Standard Webhooks spec, independent of the
/// server's code: HMAC-SHA256 keyed with the base64-decoded secret after <c>whsec_</c>, over
/// <c>id.timestamp.body</c>, base64, each signature prefixed <c>v1,</c>, space-separated.
/// </summary>
public static class StandardWebhooks
{
    public static string ExpectedSignature(string secret, string id, string timestamp, string body)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    public static bool IsSignedWith(this ReceivedWebhook webhook, string secret) =>
        webhook.Signature is not null && webhook.Id is not null && webhook.Timestamp is not null
        && webhook.Signature.Split(' ').Contains(ExpectedSignature(secret, webhook.Id, webhook.Timestamp, webhook.Body));
}
