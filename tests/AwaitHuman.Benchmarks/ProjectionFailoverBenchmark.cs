using AwaitHuman.Server.Hosting;
using AwaitHuman.Testing;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// <c>bench projections [runs] [distribution]</c>: how long async projections and subscriptions stop when the node
/// running them is killed, for each way of distributing them (<see cref="ProjectionDistribution"/>),
/// alternating so both see the same machine. Each run is <see cref="ProjectionFailover"/> on a
/// database of its own in the benches' cluster (<see cref="BenchCluster"/>).
/// </summary>
public static class ProjectionFailoverBenchmark
{
    static readonly TimeSpan Target = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var runs = args.Length > 0 ? int.Parse(args[0]) : 3;
        ProjectionDistribution[] distributions = args.Length > 1 ? [Enum.Parse<ProjectionDistribution>(args[1], ignoreCase: true)] : Enum.GetValues<ProjectionDistribution>();
        using var postgres = BenchCluster.Start();
        var machine = await MachineFacts.ReadAsync(postgres.ConnectionString, ct);

        List<ProjectionFailoverRun> results = [];
        for (var run = 1; run <= runs; run++)
        {
            foreach (var distribution in distributions)
            {
                var connectionString = await BenchCluster.CreateDatabaseAsync(postgres, $"failover-{distribution}-{run}".ToLowerInvariant());
                var result = await ProjectionFailover.MeasureAsync(connectionString, distribution, Console.Error.WriteLine, ct);
                Console.Error.WriteLine($"{distribution}, run {run}: {result.Killed} killed; {result.TakenOver.TotalSeconds:0.0} s later the survivor ran the feed, {result.Recovery.TotalSeconds:0.0} s later it had read past the new escalation (load {LoadAverage()}).");
                results.Add(result);
            }
        }

        Console.WriteLine($"\n{machine.Cores} cores, load average {machine.LoadAverage ?? "unknown"} at the start, {LoadAverage()} at the end.");
        Console.WriteLine("| distribution | runs | taken over, s (min / median / max) | ran again, s (min / median / max) |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var group in results.GroupBy(r => r.Distribution))
            Console.WriteLine($"| {group.Key} | {group.Count()} | {Spread(group.Select(r => r.TakenOver))} | {Spread(group.Select(r => r.Recovery))} |");

        if (!distributions.Contains(ProjectionDistributionSetting.Default)) return 0;
        var chosen = results.Where(r => r.Distribution == ProjectionDistributionSetting.Default).Select(r => r.Recovery).Max();
        Console.WriteLine($"\nThe default ({ProjectionDistributionSetting.Default}) ran again within {chosen.TotalSeconds:0.0} s at worst (target under {Target.TotalSeconds:0} s): {(chosen < Target ? "met" : "MISSED")}");
        return 0;
    }

    static string Spread(IEnumerable<TimeSpan> times)
    {
        var sorted = times.Select(t => t.TotalSeconds).Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return $"{sorted[0]:0.0} / {median:0.0} / {sorted[^1]:0.0}";
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
