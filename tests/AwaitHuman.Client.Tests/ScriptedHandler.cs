using System.Net;
using System.Text;

namespace AwaitHuman.Client.Tests;

/// <summary>A request as the fake server saw it.</summary>
public sealed record SeenRequest(HttpMethod Method, Uri Uri, string? IdempotencyKey, string? Authorization, string? UserAgent, string? Body);

/// <summary>
/// A fake server: answers requests from a script, in order, and records what it was sent. A step
/// may throw (a network error) instead of answering.
/// </summary>
public sealed class ScriptedHandler : HttpMessageHandler
{
    readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();
    readonly List<SeenRequest> _seen = [];

    public IReadOnlyList<SeenRequest> Seen
    {
        get { lock (_seen) return [.. _seen]; }
    }

    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public ScriptedHandler Then(HttpStatusCode status, string? json = null, Action<HttpResponseMessage>? configure = null) =>
        Then(_ =>
        {
            var response = new HttpResponseMessage(status);
            if (json is not null) response.Content = new StringContent(json, Encoding.UTF8, (int)status >= 400 ? "application/problem+json" : "application/json");
            configure?.Invoke(response);
            return response;
        });

    public ScriptedHandler ThenThrow(Exception exception) => Then(_ => throw exception);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_seen)
        {
            _seen.Add(new SeenRequest(
                request.Method, request.RequestUri!,
                request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
                request.Headers.Authorization?.ToString(),
                request.Headers.UserAgent.ToString(),
                body));
        }
        Func<HttpRequestMessage, HttpResponseMessage> step;
        lock (_script)
        {
            if (!_script.TryDequeue(out step!))
                throw new InvalidOperationException($"The script has no answer left for {request.Method} {request.RequestUri}.");
        }
        var response = step(request);
        response.RequestMessage = request;
        return response;
    }
}
