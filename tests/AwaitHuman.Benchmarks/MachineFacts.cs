using System.Runtime.InteropServices;
using AwaitHuman.Testing;

namespace AwaitHuman.Benchmarks;

/// <summary>What the figures depend on, printed and stored with them.</summary>
/// <param name="LoadAverage">The 1, 5 and 15 minute load averages when the run began (Linux): other work sharing the cores.</param>
public sealed record MachineFacts(int Cores, string OperatingSystem, string DotNet, string PostgreSql, string? LoadAverage)
{
    public static async Task<MachineFacts> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var postgreSql = await Sql.ScalarAsync<string>(connectionString, "select version()");

        var loadAverage = File.Exists("/proc/loadavg") ? string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3)) : null;

        return new MachineFacts(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, postgreSql, loadAverage);
    }
}
