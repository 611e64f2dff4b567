using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AwaitHuman.Client;

/// <summary>
/// How requests are retried: transient failures (network errors, time-outs, 408, 429, 5xx) with
/// exponential backoff and jitter, or after the server's Retry-After. Each attempt has its own
/// time-out. A request that is not safe to send twice (no idempotency key) is retried only when
/// the server certainly did not act on it: 429, or no connection at all.
/// </summary>
sealed class RetryPipelines
{
    static readonly ResiliencePropertyKey<bool> ReplaySafeKey = new("AwaitHuman.ReplaySafe");
    static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("AwaitHuman.AttemptTimeout");

    readonly TimeProvider _timeProvider;
    readonly TimeSpan _maxDelay;

    public RetryPipelines(AwaitHumanClientOptions options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _maxDelay = options.MaxRetryDelay;
        Bounded = Build(options, options.MaxRetries);
        // A wait may last hours: it rides out an outage of the server for as long as the caller waits.
        Patient = Build(options, int.MaxValue);
    }

    /// <summary>Gives up after <see cref="AwaitHumanClientOptions.MaxRetries"/> retries.</summary>
    public ResiliencePipeline<HttpResponseMessage> Bounded { get; }

    /// <summary>Retries until cancelled.</summary>
    public ResiliencePipeline<HttpResponseMessage> Patient { get; }

    public static ResilienceContext Context(bool replaySafe, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ReplaySafeKey, replaySafe);
        context.Properties.Set(AttemptTimeoutKey, attemptTimeout);
        return context;
    }

    ResiliencePipeline<HttpResponseMessage> Build(AwaitHumanClientOptions options, int maxRetries) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(arguments.Outcome, arguments.Context)),
                DelayGenerator = arguments => ValueTask.FromResult(arguments.Outcome.Result is { } response ? RetryAfter(response) : null),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = arguments => ValueTask.FromResult(arguments.Context.Properties.GetValue(AttemptTimeoutKey, options.RequestTimeout)),
            })
            .Build();

    bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var replaySafe = context.Properties.GetValue(ReplaySafeKey, false);
        if (outcome.Result is { } response)
        {
            var status = response.StatusCode;
            if (status == HttpStatusCode.TooManyRequests || IsTransient(status))
            {
                // A Retry-After longer than we are willing to wait goes back to the caller, who may reschedule.
                if (RetryAfter(response) > _maxDelay) return false;
                return replaySafe || status == HttpStatusCode.TooManyRequests;
            }
            return false;
        }

        return outcome.Exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
            HttpRequestException => replaySafe,
            TimeoutRejectedException => replaySafe,
            // HttpClient.Timeout of a client the caller passed in; the caller's own cancellation is not retried (Polly stops first).
            OperationCanceledException when !context.CancellationToken.IsCancellationRequested => replaySafe,
            _ => false,
        };
    }

    static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.RequestTimeout || (int)status >= 500;

    TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfter(response.Headers.RetryAfter, _timeProvider);

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider timeProvider) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
