using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using AwaitHuman.Client.Webhooks;
using Polly;
using Polly.Timeout;

namespace AwaitHuman.Client;

/// <summary>
/// The typed client of AwaitHuman's escalation API for agents: open an escalation, wait for the
/// human's hand-back (also after a restart, with only the resume token), read, list, add to and
/// cancel escalations. Transient failures are retried; a retried create carries the same
/// idempotency key, so it never opens two escalations.
/// </summary>
/// <remarks>
/// Register it with <c>services.AddAwaitHumanClient(...)</c> (an IHttpClientFactory typed client),
/// or construct it over an HttpClient you own. It holds no resources of its own.
/// </remarks>
public sealed class AwaitHumanClient : IAwaitHumanClient
{
    const string IdempotencyKeyHeader = "Idempotency-Key";

    // A poll that comes back open this fast was not held by the server (a proxy, an old server):
    // waiting this long before the next one keeps a wait from spinning.
    static readonly TimeSpan MinimumPollInterval = TimeSpan.FromSeconds(1);

    static readonly ProductInfoHeaderValue UserAgent = new(
        "AwaitHuman.Client",
        typeof(AwaitHumanClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    readonly HttpClient _http;
    readonly Uri _baseAddress;
    readonly AuthenticationHeaderValue? _authorization;
    readonly AwaitHumanClientOptions _options;
    readonly RetryPipelines _retries;
    readonly TimeProvider _timeProvider;

    /// <summary>The constructor IHttpClientFactory uses, with the options given to <c>AddAwaitHumanClient</c>.</summary>
    [ActivatorUtilitiesConstructor]
    public AwaitHumanClient(HttpClient httpClient, IOptions<AwaitHumanClientOptions> options)
        : this(httpClient, options.Value)
    {
    }

    /// <summary>A client over an HttpClient you own (its handlers, proxy and lifetime stay yours).</summary>
    /// <param name="httpClient">Sends the requests. Its BaseAddress is used when the options name none.</param>
    /// <param name="options">Address, API key and retry settings; defaults when null.</param>
    public AwaitHumanClient(HttpClient httpClient, AwaitHumanClientOptions? options = null)
        : this(httpClient, options ?? new AwaitHumanClientOptions(), TimeProvider.System)
    {
    }

    internal AwaitHumanClient(HttpClient httpClient, AwaitHumanClientOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var baseAddress = options.BaseAddress ?? httpClient.BaseAddress
            ?? throw new ArgumentException("Set AwaitHumanClientOptions.BaseAddress or the HttpClient's BaseAddress.", nameof(options));
        if (!baseAddress.IsAbsoluteUri) throw new ArgumentException($"The base address must be absolute: {baseAddress}", nameof(options));

        _http = httpClient;
        // Relative paths resolve under the base address only when it ends with a slash.
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _authorization = string.IsNullOrEmpty(options.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", options.ApiKey);
        _options = options;
        _timeProvider = timeProvider;
        _retries = new RetryPipelines(options, timeProvider);
    }

    static void Validate(AwaitHumanClientOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, "options.MaxRetries");
        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
            throw new ArgumentOutOfRangeException(nameof(options), "RetryDelay must be positive and no longer than MaxRetryDelay.");
        if (options.RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "RequestTimeout must be positive.");
        if (options.WaitPollDuration < TimeSpan.FromSeconds(1) || options.WaitPollDuration > TimeSpan.FromSeconds(60))
            throw new ArgumentOutOfRangeException(nameof(options), "WaitPollDuration must be between 1 and 60 seconds.");
    }

    /// <summary>Opens an escalation: a human will pick the case up.</summary>
    /// <param name="request">What the human needs to know.</param>
    /// <param name="idempotencyKey">
    /// Makes the create safe to repeat: the server answers a repeat with the escalation the key
    /// first made (for at least 24 hours), and refuses the key with another body (422). Generated
    /// when null; pass your own (e.g. from your conversation id) to make a create that your own
    /// process repeats after a crash safe too.
    /// </param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The new escalation's id and its resume token: persist the token to wait across restarts.</returns>
    /// <exception cref="AwaitHumanException">The server refused (400 naming the invalid fields, 422 for a reused key) or could not be reached.</exception>
    public Task<CreatedEscalation> EscalateAsync(EscalationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (idempotencyKey is not null) ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return SendAsync<CreatedEscalation>(
            Post("v1/escalations", request, idempotencyKey ?? Guid.NewGuid().ToString()), replaySafe: true, cancellationToken);
    }

    /// <summary>Reads an escalation.</summary>
    /// <exception cref="AwaitHumanException">404 when it does not exist (or belongs to another tenant).</exception>
    public Task<Escalation> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Escalation>(Get($"v1/escalations/{id}"), replaySafe: true, cancellationToken);

    /// <summary>Lists escalations, newest first, one page at a time.</summary>
    /// <param name="filter">What to list; everything when null.</param>
    /// <param name="cursor">The <see cref="EscalationPage.NextCursor"/> of the previous page; null for the first.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    public Task<EscalationPage> ListAsync(EscalationFilter? filter = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        SendAsync<EscalationPage>(Get("v1/escalations" + Query(filter, cursor)), replaySafe: true, cancellationToken);

    /// <summary>Lists every escalation that matches, following the pages.</summary>
    public IAsyncEnumerable<EscalationSummary> ListAllAsync(EscalationFilter? filter = null, CancellationToken cancellationToken = default) =>
        EveryPageAsync(async cursor =>
        {
            var page = await ListAsync(filter, cursor, cancellationToken).ConfigureAwait(false);
            return (page.Items, page.NextCursor);
        }, cancellationToken);

    /// <summary>Every item of a list, following next_cursor: every list of the API pages the same way.</summary>
    static async IAsyncEnumerable<T> EveryPageAsync<T>(Func<string?, Task<(IReadOnlyList<T> Items, string? NextCursor)>> pageAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (items, next) = await pageAfter(cursor).ConfigureAwait(false);
            foreach (var item in items) yield return item;
            cursor = next;
        }
        while (cursor is not null);
    }

    /// <summary>Adds a message to the escalation's transcript (e.g. what the customer said while waiting).</summary>
    /// <param name="id">The escalation.</param>
    /// <param name="role">Customer, agent, tool or system. The agent cannot speak while a human owns the conversation (409).</param>
    /// <param name="content">The message.</param>
    /// <param name="at">When it was said; now when null.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The escalation with the message added.</returns>
    public Task<Escalation> AppendMessageAsync(Guid id, MessageRole role, string content, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        return SendAsync<Escalation>(
            Post($"v1/escalations/{id}/messages", new TranscriptEntry { Role = role, Content = content, At = at }),
            replaySafe: false, cancellationToken);
    }

    /// <summary>Proposes a reply for an operator to approve, edit or reject before the customer sees it.</summary>
    /// <returns>The draft's id; its fate shows in <see cref="Escalation.Drafts"/>.</returns>
    public Task<ProposedDraft> ProposeDraftAsync(Guid id, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        return SendAsync<ProposedDraft>(
            Post($"v1/escalations/{id}/drafts", new { content }), replaySafe: false, cancellationToken);
    }

    /// <summary>Cancels the escalation (e.g. the customer's problem solved itself); the hand-back says <see cref="HandBackOutcome.Cancelled"/>.</summary>
    /// <returns>The cancelled escalation.</returns>
    public Task<Escalation> CancelAsync(Guid id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<Escalation>(Post($"v1/escalations/{id}/cancel", new { reason }), replaySafe: false, cancellationToken);

    /// <summary>
    /// Waits until a human hands the escalation back, holding long polls open on the server. Needs
    /// only the resume token, so an agent that persisted it can resume waiting after a restart.
    /// Outages of the server are ridden out for as long as the wait lasts.
    /// </summary>
    /// <param name="resumeToken">The <see cref="CreatedEscalation.ResumeToken"/>.</param>
    /// <param name="timeout">How long to wait at most; as long as it takes when null.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The escalation, its <see cref="Escalation.HandBack"/> set (<see cref="Escalation.IsHandedBack"/> is true).</returns>
    /// <exception cref="TimeoutException">No hand-back within <paramref name="timeout"/>.</exception>
    /// <exception cref="AwaitHumanException">The server refused (e.g. 404 for an unknown token).</exception>
    public Task<Escalation> WaitForHumanAsync(string resumeToken, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resumeToken);
        return WaitAsync(seconds => $"v1/escalations/wait?resume_token={Uri.EscapeDataString(resumeToken)}&timeout_seconds={seconds}", timeout, cancellationToken);
    }

    /// <summary>Waits until a human hands the escalation back; like the resume-token overload, by id.</summary>
    /// <param name="id">The escalation.</param>
    /// <param name="timeout">How long to wait at most; as long as it takes when null.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The escalation, its <see cref="Escalation.HandBack"/> set.</returns>
    /// <exception cref="TimeoutException">No hand-back within <paramref name="timeout"/>.</exception>
    public Task<Escalation> WaitForHumanAsync(Guid id, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitAsync(seconds => $"v1/escalations/{id}/wait?timeout_seconds={seconds}", timeout, cancellationToken);

    async Task<Escalation> WaitAsync(Func<int, string> path, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (timeout is { } limit) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) deadline.CancelAfter(t);
        var started = _timeProvider.GetTimestamp();
        try
        {
            while (true)
            {
                var poll = _options.WaitPollDuration;
                if (timeout is { } total && total - _timeProvider.GetElapsedTime(started) is var remaining && remaining < poll) poll = remaining;
                var seconds = Math.Clamp((int)Math.Ceiling(poll.TotalSeconds), 1, 60);

                var pollStarted = _timeProvider.GetTimestamp();
                var escalation = await SendAsync<Escalation>(
                    Get(path(seconds)), replaySafe: true, deadline.Token, _retries.Patient,
                    TimeSpan.FromSeconds(seconds) + _options.RequestTimeout).ConfigureAwait(false);
                if (escalation.IsHandedBack) return escalation;

                var pause = MinimumPollInterval - _timeProvider.GetElapsedTime(pollStarted);
                if (pause > TimeSpan.Zero) await Task.Delay(pause, _timeProvider, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No human handed the escalation back within {timeout}.");
        }
    }

    /// <summary>
    /// The escalation's events as they happen (Server-Sent Events). After a dropped connection it
    /// reconnects by itself with <c>Last-Event-ID</c>, so no event is missed or repeated; it ends
    /// when <paramref name="cancellationToken"/> is cancelled or you stop enumerating.
    /// </summary>
    /// <param name="id">The escalation.</param>
    /// <param name="lastEventId">Resume after this event (the <see cref="EscalationEvent.Id"/> you handled last); from the start when null.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <exception cref="AwaitHumanNotFoundException">No such escalation.</exception>
    public async IAsyncEnumerable<EscalationEvent> StreamEventsAsync(
        Guid id, string? lastEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = lastEventId;
        var reconnectDelay = TimeSpan.FromSeconds(2);
        while (true)
        {
            using var response = await SendAsync(
                () =>
                {
                    var request = Get($"v1/escalations/{id}/events")();
                    request.Headers.Accept.ParseAdd("text/event-stream");
                    if (last is not null) request.Headers.Add("Last-Event-ID", last);
                    return request;
                },
                replaySafe: true, cancellationToken, _retries.Patient, _options.RequestTimeout, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            var parser = new ServerSentEvents(reader);
            while (await parser.NextAsync(cancellationToken).ConfigureAwait(false) is { } message)
            {
                if (message.Retry is { } retry) reconnectDelay = retry;
                if (message.Event is null && message.Data is null) continue;
                if (message.Id is not null) last = message.Id;
                yield return new EscalationEvent { Id = message.Id ?? "", Type = message.Event ?? "message", Data = message.ParseData() };
            }
            await Task.Delay(reconnectDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers a URL that receives the tenant's events, signed (scope <c>webhooks:manage</c>).</summary>
    /// <returns>The endpoint with its signing secret: keep it for <see cref="WebhookVerifier"/>, it is not shown again.</returns>
    /// <exception cref="AwaitHumanValidationException">The URL or event types are refused, naming the field.</exception>
    public Task<WebhookEndpointWithSecret> CreateWebhookEndpointAsync(NewWebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return SendAsync<WebhookEndpointWithSecret>(Post("v1/webhook-endpoints", endpoint), replaySafe: false, cancellationToken);
    }

    /// <summary>The tenant's webhook endpoints, newest first, without their secrets, one page at a time.</summary>
    /// <param name="cursor">The <see cref="ListPage{T}.NextCursor"/> of the previous page; null for the first.</param>
    /// <param name="limit">At most this many per page (1 to 100; the server's default is 25).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    public Task<ListPage<WebhookEndpoint>> ListWebhookEndpointsAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync<ListPage<WebhookEndpoint>>(Get("v1/webhook-endpoints" + PageQuery(cursor, limit)), replaySafe: true, cancellationToken);

    /// <summary>Every webhook endpoint of the tenant, following the pages.</summary>
    public IAsyncEnumerable<WebhookEndpoint> ListAllWebhookEndpointsAsync(CancellationToken cancellationToken = default) =>
        EveryPageAsync(async cursor =>
        {
            var page = await ListWebhookEndpointsAsync(cursor, null, cancellationToken).ConfigureAwait(false);
            return (page.Items, page.NextCursor);
        }, cancellationToken);

    /// <summary>One webhook endpoint, without its secret.</summary>
    public Task<WebhookEndpoint> GetWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookEndpoint>(Get($"v1/webhook-endpoints/{id}"), replaySafe: true, cancellationToken);

    /// <summary>Changes an endpoint's URL, event types or description; what is left null stays.</summary>
    public Task<WebhookEndpoint> UpdateWebhookEndpointAsync(Guid id, WebhookEndpointChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return SendAsync<WebhookEndpoint>(Send(HttpMethod.Patch, $"v1/webhook-endpoints/{id}", changes), replaySafe: true, cancellationToken);
    }

    /// <summary>Deletes an endpoint and its delivery log; pending retries are not sent.</summary>
    public Task DeleteWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement?>(() => new HttpRequestMessage(HttpMethod.Delete, new Uri(_baseAddress, $"v1/webhook-endpoints/{id}")), replaySafe: true, cancellationToken);

    /// <summary>Issues a new signing secret; the old one keeps signing beside it for <paramref name="overlap"/> (default 24 hours, at most 7 days).</summary>
    public Task<WebhookEndpointWithSecret> RotateWebhookSecretAsync(Guid id, TimeSpan? overlap = null, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookEndpointWithSecret>(
            Post($"v1/webhook-endpoints/{id}/rotate-secret", new { overlap_seconds = overlap is { } o ? (int?)o.TotalSeconds : null }), replaySafe: false, cancellationToken);

    /// <summary>Stops deliveries to an endpoint until it is enabled again.</summary>
    public Task<WebhookEndpoint> DisableWebhookEndpointAsync(Guid id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookEndpoint>(Post($"v1/webhook-endpoints/{id}/disable", new { reason }), replaySafe: true, cancellationToken);

    /// <summary>Resumes deliveries to a disabled endpoint.</summary>
    public Task<WebhookEndpoint> EnableWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookEndpoint>(Post($"v1/webhook-endpoints/{id}/enable", new { }), replaySafe: true, cancellationToken);

    /// <summary>Sends a <c>webhook.test</c> event to this endpoint alone.</summary>
    public Task<WebhookTestSent> SendTestWebhookAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookTestSent>(Post($"v1/webhook-endpoints/{id}/test", new { }), replaySafe: false, cancellationToken);

    Func<HttpRequestMessage> Get(string path) => () => new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, path));

    Func<HttpRequestMessage> Post<TBody>(string path, TBody body, string? idempotencyKey = null) => Send(HttpMethod.Post, path, body, idempotencyKey);

    Func<HttpRequestMessage> Send<TBody>(HttpMethod method, string path, TBody body, string? idempotencyKey = null)
    {
        // Serialized once, so every attempt sends the same bytes under the same key.
        var json = JsonSerializer.SerializeToUtf8Bytes(body, AwaitHumanJson.Options);
        return () =>
        {
            var request = new HttpRequestMessage(method, new Uri(_baseAddress, path)) { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            if (idempotencyKey is not null) request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
            return request;
        };
    }

    Task<T> SendAsync<T>(Func<HttpRequestMessage> createRequest, bool replaySafe, CancellationToken cancellationToken) =>
        SendAsync<T>(createRequest, replaySafe, cancellationToken, _retries.Bounded, _options.RequestTimeout);

    async Task<T> SendAsync<T>(
        Func<HttpRequestMessage> createRequest, bool replaySafe, CancellationToken cancellationToken,
        ResiliencePipeline<HttpResponseMessage> pipeline, TimeSpan attemptTimeout)
    {
        using var response = await SendAsync(createRequest, replaySafe, cancellationToken, pipeline, attemptTimeout, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent) return default!;
        return await response.Content.ReadFromJsonAsync<T>(AwaitHumanJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new AwaitHumanException($"AwaitHuman answered {(int)response.StatusCode} without a body.", new JsonException("The body was null."));
    }

    /// <summary>Sends with retries; answers the last response, successful or not, for the caller to read and dispose.</summary>
    async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, bool replaySafe, CancellationToken cancellationToken,
        ResiliencePipeline<HttpResponseMessage> pipeline, TimeSpan attemptTimeout, HttpCompletionOption completion)
    {
        var context = RetryPipelines.Context(replaySafe, attemptTimeout, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                static async (context, state) =>
                {
                    using var request = state.createRequest();
                    request.Headers.UserAgent.Add(UserAgent);
                    request.Headers.Authorization ??= state.authorization;
                    return await state.http.SendAsync(request, state.completion, context.CancellationToken).ConfigureAwait(false);
                },
                context,
                (createRequest, http: _http, authorization: _authorization, completion)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            throw new AwaitHumanException($"AwaitHuman could not be reached: {exception.Message}", exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        return response;
    }

    async Task<AwaitHumanException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        AwaitHumanProblem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<AwaitHumanProblem>(AwaitHumanJson.Options, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // Not a problem document after all: the status alone must do.
            }
        }
        return AwaitHumanException.FromResponse(response.StatusCode, problem, RetryPipelines.RetryAfter(response.Headers.RetryAfter, _timeProvider));
    }

    static string PageQuery(string? cursor, int? limit) =>
        string.Join('&', new[] { limit is { } size ? $"limit={size.ToString(CultureInfo.InvariantCulture)}" : null, cursor is null ? null : $"cursor={Uri.EscapeDataString(cursor)}" }
            .Where(part => part is not null)) is { Length: > 0 } query ? "?" + query : "";

    static string Query(EscalationFilter? filter, string? cursor)
    {
        var parameters = new List<(string Name, string? Value)>
        {
            ("status", filter?.Statuses is { Count: > 0 } statuses ? string.Join(',', statuses.Select(AwaitHumanJson.WireName)) : null),
            ("external_ref", filter?.ExternalRef),
            ("owner", filter?.Owner),
            ("team", filter?.Team),
            ("priority", filter?.Priority is { } priority ? AwaitHumanJson.WireName(priority) : null),
            ("reason", filter?.Reason),
            ("channel", filter?.Channel is { } channel ? AwaitHumanJson.WireName(channel) : null),
            ("limit", filter?.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("cursor", cursor),
        };
        var query = string.Join('&', parameters
            .Where(parameter => !string.IsNullOrEmpty(parameter.Value))
            .Select(parameter => $"{parameter.Name}={Uri.EscapeDataString(parameter.Value!)}"));
        return query.Length == 0 ? "" : "?" + query;
    }
}
