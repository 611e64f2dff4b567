using System.Text.Json;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// The demo tenant's API key (an agent) and its operator's personal access token, which the
/// embedded default writes beside its cluster on the first start.
/// </summary>
/// <param name="OperatorToken">Null in files written before the operator's token was seeded.</param>
sealed record DemoCredentials(string ApiKey, string? OperatorToken)
{
    public static async Task<DemoCredentials> ReadAsync(string dataRoot, CancellationToken cancellationToken)
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
        var root = credentials.RootElement;
        return new DemoCredentials(
            root.GetProperty("ApiKey").GetString()!,
            root.TryGetProperty("OperatorToken", out var token) ? token.GetString() : null);
    }
}
