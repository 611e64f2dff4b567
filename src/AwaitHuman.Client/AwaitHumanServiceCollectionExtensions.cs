using AwaitHuman.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="AwaitHumanClient"/> (and <see cref="IAwaitHumanClient"/>) as a typed client of IHttpClientFactory.</summary>
public static class AwaitHumanServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AwaitHumanClient"/> with IHttpClientFactory, configured by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the address, the API key and, if wanted, retry settings.</param>
    /// <returns>
    /// The client's builder, to add handlers (e.g. OAuth, logging) or a primary handler. The client
    /// retries by itself; a resilience handler added to every client of the application
    /// (<c>ConfigureHttpClientDefaults</c>) would cut its long polls at its own attempt time-out,
    /// so remove it for this client (<c>RemoveAllResilienceHandlers()</c>).
    /// </returns>
    public static IHttpClientBuilder AddAwaitHumanClient(this IServiceCollection services, Action<AwaitHumanClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AwaitHumanClientOptions>().Configure(configure);
        return services.AddAwaitHumanClient();
    }

    /// <summary>
    /// Registers <see cref="AwaitHumanClient"/> with IHttpClientFactory; configure
    /// <see cref="AwaitHumanClientOptions"/> yourself (e.g. <c>services.Configure&lt;AwaitHumanClientOptions&gt;(configuration.GetSection("AwaitHuman"))</c>).
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddAwaitHumanClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AwaitHumanClientOptions>();
        // Each attempt has its own time-out (a long poll's is longer than a read's): the client's
        // own limit would cut long polls short.
        var builder = services.AddHttpClient<AwaitHumanClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        // The interface resolves to the same typed client, so agents can depend on it and tests replace it.
        services.AddTransient<IAwaitHumanClient>(provider => provider.GetRequiredService<AwaitHumanClient>());
        return builder;
    }
}
