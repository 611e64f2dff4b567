using System.Diagnostics;
using System.Runtime;

namespace AwaitHuman.Benchmarks;

/// <summary>
/// A warm-up that lasts until the JIT has settled, for the benchmarks whose server runs in this
/// process. After a start the runtime re-compiles every hot method with full optimisation, one at a
/// time on a background thread, and on these two shared cores that takes far longer than a fixed few
/// seconds: 15 s into the reply benchmark it was still compiling about 500 methods a second (counted
/// with <c>DOTNET_JitStdOutFile</c>), a fifth of the server's CPU, and code on the request path still ran
/// unoptimised. Figures taken then measure a start, not the pipeline, and swing from run to run.
/// </summary>
public static class SteadyState
{
    static readonly TimeSpan Slice = TimeSpan.FromSeconds(5);

    /// <summary>Fewer compilations than this in one slice count as settled; a settled server compiles a few dozen.</summary>
    const long QuietCompilations = 100;

    static readonly TimeSpan Minimum = TimeSpan.FromSeconds(15);
    static readonly TimeSpan Maximum = TimeSpan.FromSeconds(120);

    public sealed record WarmUp(TimeSpan Took, long Compiled, bool Settled)
    {
        public override string ToString() =>
            $"{Took.TotalSeconds:N0} s of warm-up, {Compiled:N0} methods compiled, " +
            (Settled ? $"until fewer than {QuietCompilations} in {Slice.TotalSeconds:N0} s" : "stopped at its limit before the JIT settled");
    }

    /// <summary>
    /// Runs <paramref name="load"/> in slices of five seconds, at least 15 s in all, until a slice
    /// compiles fewer than <see cref="QuietCompilations"/> methods or two minutes have passed.
    /// </summary>
    public static async Task<WarmUp> WarmUpAsync(Func<TimeSpan, Task> load)
    {
        var clock = Stopwatch.StartNew();
        var first = JitInfo.GetCompiledMethodCount();
        while (true)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await load(Slice);
            var settled = JitInfo.GetCompiledMethodCount() - before < QuietCompilations;
            if ((settled && clock.Elapsed >= Minimum) || clock.Elapsed >= Maximum)
                return new WarmUp(clock.Elapsed, JitInfo.GetCompiledMethodCount() - first, settled);
        }
    }
}
