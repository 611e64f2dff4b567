using System.Runtime.InteropServices;
using Npgsql;

namespace AwaitHuman.Benchmarks;

/// <summary>What the figures depend on, printed and stored with them.</summary>
public sealed record MachineFacts(int Cores, string OperatingSystem, string DotNet, string PostgreSql)
{
    public static async Task<MachineFacts> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var version = new NpgsqlCommand("select version()", connection);
        var postgreSql = (string?)await version.ExecuteScalarAsync(cancellationToken) ?? "unknown";

        return new MachineFacts(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, postgreSql);
    }
}
