using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AwaitHuman.Benchmarks;

/// <summary>One scenario's figures with its ratios to the twin (above 1 for throughput is better, below 1 for latency).</summary>
public sealed record ReportRow(
    string Scenario,
    string Description,
    long Requests,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorKinds,
    double MeasuredSeconds,
    double RequestsPerSecond,
    LatencyMilliseconds LatencyMs,
    double ThroughputToTwin,
    double P50ToTwin,
    double P99ToTwin);

public static class Report
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Only read by people and scripts, never embedded in HTML: keep "+" and friends as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void PrintMachine(MachineFacts machine, BenchOptions options)
    {
        Console.WriteLine($"Machine:    {machine.Cores} cores, {machine.OperatingSystem}");
        Console.WriteLine($".NET:       {machine.DotNet}");
        Console.WriteLine($"PostgreSQL: {machine.PostgreSql}");
        Console.WriteLine(
            $"Load:       {options.Concurrency} workers, {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s measured per scenario, " +
            "HTTP/1.1 over loopback; driver, server, twin and PostgreSQL share these cores");
        Console.WriteLine();
    }

    public static IReadOnlyList<ReportRow> CompareWithTwin(IReadOnlyList<ScenarioResult> results)
    {
        var twin = results.Single(r => r.Scenario.Name == Scenarios.Twin);
        return results.Select(r => new ReportRow(
                r.Scenario.Name,
                r.Scenario.Description,
                r.Requests,
                r.Errors,
                r.ErrorKinds,
                r.MeasuredSeconds,
                r.RequestsPerSecond,
                r.Latency,
                Ratio(r.RequestsPerSecond, twin.RequestsPerSecond),
                Ratio(r.Latency.P50, twin.Latency.P50),
                Ratio(r.Latency.P99, twin.Latency.P99)))
            .ToList();
    }

    public static void PrintTable(IReadOnlyList<ReportRow> rows)
    {
        string[] header = ["scenario", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "rps/twin", "p50/twin", "p99/twin"];
        var lines = rows.Select(r => new[]
        {
            r.Scenario, r.Requests.ToString(CultureInfo.InvariantCulture), r.Errors.ToString(CultureInfo.InvariantCulture), Number(r.RequestsPerSecond, "0"),
            Number(r.LatencyMs.P50), Number(r.LatencyMs.P90), Number(r.LatencyMs.P99), Number(r.LatencyMs.P999), Number(r.LatencyMs.Max),
            Number(r.ThroughputToTwin), Number(r.P50ToTwin), Number(r.P99ToTwin),
        }).Prepend(header).ToList();
        var widths = header.Select((_, column) => lines.Max(line => line[column].Length)).ToArray();

        foreach (var line in lines)
        {
            var text = new StringBuilder(line[0].PadRight(widths[0]));
            for (var column = 1; column < line.Length; column++) text.Append("  ").Append(line[column].PadLeft(widths[column]));
            Console.WriteLine(text.ToString());
        }

        Console.WriteLine();
        foreach (var row in rows) Console.WriteLine($"{row.Scenario.PadRight(widths[0])}  {row.Description}");
        foreach (var row in rows.Where(r => r.Errors > 0))
        foreach (var (kind, count) in row.ErrorKinds)
            Console.WriteLine($"Errors in {row.Scenario}: {count} x {kind}");
    }

    /// <summary>Writes the rows to BenchmarkResults/bench-&lt;UTC time&gt;.json under the repository and returns the file.</summary>
    public static string WriteJson(string repositoryRoot, MachineFacts machine, BenchOptions options, IReadOnlyList<ReportRow> rows)
    {
        var finishedAt = DateTimeOffset.UtcNow;
        var folder = Directory.CreateDirectory(Path.Combine(repositoryRoot, "BenchmarkResults")).FullName;
        var file = Path.Combine(folder, $"bench-{finishedAt:yyyyMMdd'T'HHmmss'Z'}.json");
        var document = new
        {
            finishedAt,
            machine,
            settings = new { options.Concurrency, WarmupSeconds = options.Warmup.TotalSeconds, DurationSeconds = options.Duration.TotalSeconds },
            scenarios = rows,
        };
        File.WriteAllText(file, JsonSerializer.Serialize(document, Json));
        return file;
    }

    static double Ratio(double value, double twin) => twin == 0 ? double.NaN : value / twin;

    static string Number(double value, string format = "0.00") =>
        double.IsNaN(value) ? "-" : value.ToString(value is > 0 and < 0.1 && format == "0.00" ? "0.000" : format, CultureInfo.InvariantCulture);
}
