namespace AwaitHuman.Client.Tests;

/// <summary>Clients over the fake server, with retry delays short enough for tests.</summary>
public static class ClientFixtures
{
    public static readonly Uri Address = new("https://awaithuman.test/api/");

    public static AwaitHumanClientOptions FastOptions(Action<AwaitHumanClientOptions>? configure = null)
    {
        var options = new AwaitHumanClientOptions
        {
            BaseAddress = Address,
            ApiKey = "ah_test_key",
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            MaxRetries = 3,
        };
        configure?.Invoke(options);
        return options;
    }

    public static AwaitHumanClient Client(this ScriptedHandler handler, Action<AwaitHumanClientOptions>? configure = null) =>
        new(new HttpClient(handler), FastOptions(configure));

    public static EscalationRequest Request => new()
    {
        Kind = EscalationKind.Handoff,
        Reason = "angry_customer",
        Summary = "Wants to talk to a person",
        ExternalRef = "conv-42",
    };
}
