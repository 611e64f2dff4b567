namespace AwaitHuman.Testing;

/// <summary>
/// Two server nodes on one database of their own, so the shared test host does not join their
/// cluster: for what must hold across nodes (revocation, waking waiters).
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    TwoNodes(AwaitHumanApp first, AwaitHumanApp second)
    {
        First = first;
        Second = second;
    }

    public AwaitHumanApp First { get; }
    public AwaitHumanApp Second { get; }

    public static async Task<TwoNodes> StartAsync(string databaseName)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync(databaseName);
        var first = await AwaitHumanApp.StartAsync(connectionString);
        try
        {
            return new TwoNodes(first, await AwaitHumanApp.StartAsync(connectionString));
        }
        catch
        {
            await first.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
