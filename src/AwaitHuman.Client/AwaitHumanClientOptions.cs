namespace AwaitHuman.Client;

/// <summary>Where AwaitHuman is, how to authenticate, and how patiently to retry.</summary>
public sealed class AwaitHumanClientOptions
{
    /// <summary>The API's address, e.g. <c>https://api.awaithuman.example/</c>. When null, the HttpClient's own BaseAddress is used.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The API key (<c>ah_live_...</c> or <c>ah_test_...</c>) sent as a bearer token. Leave it null
    /// when another handler of the HttpClient authenticates (e.g. OAuth client credentials).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times a transient failure is retried (so up to this plus one attempts). Default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones double it, with jitter. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest delay between two attempts. A <c>Retry-After</c> longer than this is not waited
    /// for: the error surfaces with <see cref="AwaitHumanException.RetryAfter"/>. Default 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt of an ordinary request may take. Default 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the server holds one long poll of a wait open (1 to 60 seconds; default 60). Each
    /// attempt may take this plus <see cref="RequestTimeout"/>.
    /// </summary>
    public TimeSpan WaitPollDuration { get; set; } = TimeSpan.FromSeconds(60);
}
