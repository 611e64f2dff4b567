using System.Runtime.InteropServices;
using AwaitHuman.Testing;

namespace AwaitHuman.Benchmarks;

/// <summary>What the figures depend on, printed and stored with them.</summary>
public sealed record MachineFacts(int Cores, string OperatingSystem, string DotNet, string PostgreSql)
{
    public static async Task<MachineFacts> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var postgreSql = await Sql.ScalarAsync<string>(connectionString, "select version()");

        return new MachineFacts(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, postgreSql);
    }
}
