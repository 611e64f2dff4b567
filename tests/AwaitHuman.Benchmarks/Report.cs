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
    double P99ToTwin,
    double? TargetRequestsPerSecond);

/// <summary>One of the issue's targets, and whether this run met it (without errors).</summary>
public sealed record Verdict(string Target, string Measured, bool Met);

public static class Report
{
    // The targets of the escalation issue.
    const double CreateThroughputToTwin = 0.5;
    const double CreateP99AtRateMs = 50;
    const double ResolveToWaitP99Ms = 100;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Only read by people and scripts, never embedded in HTML: keep "+" and friends as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void PrintMachine(MachineFacts machine, BenchOptions options)
    {
        Console.WriteLine($"Machine:    {machine.Cores} cores, {machine.OperatingSystem}{(machine.LoadAverage is { } load ? $", load average {load} at the start" : "")}");
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
                Ratio(r.Latency.P99, twin.Latency.P99),
                r.TargetRequestsPerSecond))
            .ToList();
    }

    public static void PrintTable(IReadOnlyList<ReportRow> rows)
    {
        string[] header = ["scenario", "load", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "rps/twin", "p50/twin", "p99/twin"];
        var lines = rows.Select(r => new[]
        {
            r.Scenario, r.TargetRequestsPerSecond is { } rate ? $"{Number(rate, "0")}/s" : "closed",
            r.Requests.ToString(CultureInfo.InvariantCulture), r.Errors.ToString(CultureInfo.InvariantCulture), Number(r.RequestsPerSecond, "0"),
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

    public static void PrintResolveToWait(ResolveToWaitResult result)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"{Scenarios.ResolveToWait}: {result.Iterations} iterations, {result.Pairs} agent/operator pairs at once, " +
            $"each wait given {result.HeadStartMs:0} ms head start, {result.Errors} errors");
        string[] header = ["wait answered", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms"];
        List<string[]> lines =
        [
            header,
            ["after the resolve's answer", .. Cells(result.FromResolveAnswered)],
            ["after the resolve was sent", .. Cells(result.FromResolveSent)],
        ];
        var widths = header.Select((_, column) => lines.Max(line => line[column].Length)).ToArray();
        foreach (var line in lines)
            Console.WriteLine(string.Join("  ", line.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))));
        Console.WriteLine($"The wait's answer arrived before the resolve's own answer in {result.WaitAnsweredFirst} of {result.Iterations - result.Errors}.");
        foreach (var (kind, count) in result.ErrorKinds)
            Console.WriteLine($"Errors in {Scenarios.ResolveToWait}: {count} x {kind}");

        static string[] Cells(SignedLatencyMilliseconds latency) =>
            [Number(latency.Min), Number(latency.P50), Number(latency.P90), Number(latency.P99), Number(latency.Max)];
    }

    /// <summary>The issue's targets for the scenarios that ran; any error in a scenario fails its target.</summary>
    public static IReadOnlyList<Verdict> Verdicts(IReadOnlyList<ReportRow> rows, ResolveToWaitResult? resolveToWait)
    {
        List<Verdict> verdicts = [];
        if (rows.FirstOrDefault(r => r.Scenario == Scenarios.EscalationCreate) is { } create)
            verdicts.Add(new Verdict(
                $"{create.Scenario}: at least {Number(CreateThroughputToTwin * 100, "0")}% of the twin's throughput",
                $"{Number(create.ThroughputToTwin * 100, "0")}% ({Number(create.RequestsPerSecond, "0")} of {Number(create.RequestsPerSecond / create.ThroughputToTwin, "0")} req/s), {create.Errors} errors",
                create.ThroughputToTwin >= CreateThroughputToTwin && create.Errors == 0));
        if (rows.FirstOrDefault(r => r.Scenario == Scenarios.EscalationCreateAtRate) is { TargetRequestsPerSecond: { } rate } atRate)
            verdicts.Add(new Verdict(
                $"{atRate.Scenario}: p99 under {Number(CreateP99AtRateMs, "0")} ms at {Number(rate, "0")} req/s",
                $"p99 {Number(atRate.LatencyMs.P99)} ms (p50 {Number(atRate.LatencyMs.P50)} ms), {Number(atRate.RequestsPerSecond, "0")} req/s done, {atRate.Errors} errors",
                atRate.LatencyMs.P99 < CreateP99AtRateMs && atRate.Errors == 0));
        if (resolveToWait is not null)
            verdicts.Add(new Verdict(
                $"{Scenarios.ResolveToWait}: p99 under {Number(ResolveToWaitP99Ms, "0")} ms from the resolve's answer",
                $"p99 {Number(resolveToWait.FromResolveAnswered.P99)} ms ({Number(resolveToWait.FromResolveSent.P99)} ms from sending the resolve), {resolveToWait.Errors} errors",
                resolveToWait.FromResolveAnswered.P99 < ResolveToWaitP99Ms && resolveToWait.Errors == 0));
        return verdicts;
    }

    public static void PrintVerdicts(IReadOnlyList<Verdict> verdicts)
    {
        if (verdicts.Count == 0) return;
        Console.WriteLine();
        Console.WriteLine("Targets:");
        foreach (var verdict in verdicts)
            Console.WriteLine($"  {(verdict.Met ? "met   " : "MISSED")}  {verdict.Target}: {verdict.Measured}");
    }

    /// <summary>Writes the rows to BenchmarkResults/bench-&lt;UTC time&gt;.json under the repository and returns the file.</summary>
    public static string WriteJson(
        string repositoryRoot, MachineFacts machine, BenchOptions options, IReadOnlyList<ReportRow> rows, ResolveToWaitResult? resolveToWait, IReadOnlyList<Verdict> verdicts)
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
            resolveToWait,
            verdicts,
        };
        File.WriteAllText(file, JsonSerializer.Serialize(document, Json));
        return file;
    }

    static double Ratio(double value, double twin) => twin == 0 ? double.NaN : value / twin;

    static string Number(double value, string format = "0.00") =>
        double.IsNaN(value) ? "-" : value.ToString(value is > 0 and < 0.1 && format == "0.00" ? "0.000" : format, CultureInfo.InvariantCulture);
}
