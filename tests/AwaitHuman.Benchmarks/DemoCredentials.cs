using System.Text.Json;

namespace AwaitHuman.Benchmarks;

/// <summary>The demo tenant's API key, which the embedded default writes beside its cluster on the first start.</summary>
static class DemoCredentials
{
    public static async Task<string> ApiKeyAsync(string dataRoot, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataRoot, "demo-credentials.json");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (!File.Exists(file))
        {
            try { await Task.Delay(200, deadline.Token); }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BenchFailure($"The server did not seed the demo tenant ({file}) within 60 s.");
            }
        }

        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        return credentials.RootElement.GetProperty("ApiKey").GetString()!;
    }
}
