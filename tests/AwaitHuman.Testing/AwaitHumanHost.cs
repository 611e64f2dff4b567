using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Xunit;

namespace AwaitHuman.Testing;

/// <summary>
/// The one host a test assembly shares (register it with <c>[assembly: AssemblyFixture(...)]</c>).
/// Tests stay independent by working in their own random tenant, not by resetting data.
/// </summary>
public class AwaitHumanHost : IAsyncLifetime
{
    AwaitHumanApp? _app;

    public AwaitHumanApp App => _app ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>Lets a test assembly add its own handlers or projections to the shared host.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) =>
        services.ConfigureWolverine(opts => opts.Discovery.IncludeAssembly(GetType().Assembly));

    public async ValueTask InitializeAsync() =>
        _app = await AwaitHumanApp.StartAsync(TestPostgres.ConnectionString, ConfigureServices);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
