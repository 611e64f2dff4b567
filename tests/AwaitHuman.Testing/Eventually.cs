using System.Diagnostics;

namespace AwaitHuman.Testing;

/// <summary>Polls for state that settles outside the test's control (another node, another process).
/// Messages inside one host are awaited with Wolverine's tracking instead.</summary>
public static class Eventually
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } result) return result;
            if (waited.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.");
            await Task.Delay(Interval);
        }
    }

    public static Task<T> GetAsync<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class =>
        GetAsync(() => Task.FromResult(probe()), timeout, what);

    public static Task HappensAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        GetAsync(async () => await condition() ? "done" : null, timeout, what);
}
