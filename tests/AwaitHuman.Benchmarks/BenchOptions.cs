using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AwaitHuman.Benchmarks;

public sealed record BenchOptions
{
    public int Concurrency { get; init; } = 16;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public IReadOnlyList<string> ScenarioNames { get; init; } = [];
    public string? ServerAssembly { get; init; }

    public static string Usage => $"""
        Usage: awaithuman bench [options]

          --concurrency <n>    closed-loop workers per scenario (default 16)
          --warmup <seconds>   unrecorded warm-up per scenario (default 3)
          --duration <seconds> measured time per scenario (default 10)
          --scenario <name>    run only this scenario, repeatable; {Scenarios.Twin} always runs, and a
                               fixed-rate scenario brings the one its rate comes from
          --server <dll>       AwaitHuman.Server.dll to start (default: the server's own Release build)

        Scenarios:
        {string.Join("\n", Scenarios.Names.Select(s => $"  {s.Name,-24} {s.Description}"))}
        """;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out BenchOptions? options, [NotNullWhen(false)] out string? problem)
    {
        options = null;
        var parsed = new BenchOptions();
        List<string> scenarioNames = [];

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                problem = $"{name} needs a value (or is not an option).";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var workers) && workers is >= 1 and <= 1024:
                    parsed = parsed with { Concurrency = workers };
                    break;
                case "--warmup" when Seconds(value) is { } warmup && warmup >= TimeSpan.Zero:
                    parsed = parsed with { Warmup = warmup };
                    break;
                case "--duration" when Seconds(value) is { } duration && duration > TimeSpan.Zero:
                    parsed = parsed with { Duration = duration };
                    break;
                case "--scenario" when Scenarios.Names.Any(s => s.Name == value):
                    scenarioNames.Add(value);
                    break;
                case "--server":
                    parsed = parsed with { ServerAssembly = Path.GetFullPath(value) };
                    break;
                default:
                    problem = $"Unknown option or bad value: {name} {value}";
                    return false;
            }
        }

        options = parsed with { ScenarioNames = scenarioNames };
        problem = null;
        return true;
    }

    static TimeSpan? Seconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : null;
}

/// <summary>A failure to explain in one message, without a stack trace.</summary>
public sealed class BenchFailure(string message) : Exception(message);
