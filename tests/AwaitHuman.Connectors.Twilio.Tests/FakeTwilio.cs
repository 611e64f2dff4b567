using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace AwaitHuman.Connectors.Twilio.Tests;

/// <summary>What the fake Twilio got: the path, the Authorization header and the form fields as sent.</summary>
public sealed record TwilioRequest(string Method, string Path, string? Authorization, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? Field(string name) => Form.Where(f => f.Key == name).Select(f => f.Value).FirstOrDefault();
}

/// <summary>Twilio's REST API on 127.0.0.1 (WireMock), answering the Messages resource as Twilio documents it.</summary>
public sealed class FakeTwilio : IDisposable
{
    readonly WireMockServer _server;

    public FakeTwilio()
    {
        var port = FreePort();
        _server = WireMockServer.Start($"http://127.0.0.1:{port}");
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        AnswersCreated("SM00000000000000000000000000000001", "queued");
    }

    public Uri BaseUrl { get; }

    public void AnswersCreated(string sid, string status) =>
        Answers(201, $$"""{"sid":"{{sid}}","status":"{{status}}","error_code":null,"error_message":null,"num_segments":"1"}""");

    public void AnswersError(int status, int code, string message, params (string Name, string Value)[] headers) =>
        Answers(status, $$"""{"code":{{code}},"message":"{{message}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""", headers);

    public void Answers(int status, string body, params (string Name, string Value)[] headers)
    {
        _server.Reset();
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers)
            response = response.WithHeader(name, value);
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(response);
    }

    public void AnswersSlowly(TimeSpan delay)
    {
        _server.Reset();
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(201).WithBody("{}").WithDelay(delay));
    }

    public IReadOnlyList<TwilioRequest> Received =>
    [
        .. _server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime).Select(e =>
        {
            var request = e.RequestMessage!;
            string? Header(string name) => request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();
            var form = new FormReader(request.Body ?? "").ReadForm().SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
            return new TwilioRequest(request.Method, request.Path, Header("Authorization"), Header("Content-Type"), form);
        }),
    ];

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}
