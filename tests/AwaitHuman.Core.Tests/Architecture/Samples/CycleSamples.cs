// Two capabilities that use each other only where a reading of signatures cannot see it: a lambda's
// body and an async method's body. CapabilityDependencyTests checks that the graph sees the cycle.
namespace AwaitHuman.Core.Tests.Architecture.Samples
{
    public static class Ground;
}

namespace AwaitHuman.Core.Tests.Architecture.Samples.Lower
{
    public static class Counter
    {
        public static Func<int> Later() => () => Upper.Tally.Total;
    }
}

namespace AwaitHuman.Core.Tests.Architecture.Samples.Upper
{
    public static class Tally
    {
        public static int Total => 1;

        public static async Task<int> CountAsync()
        {
            await Task.Yield();
            return Lower.Counter.Later()();
        }
    }
}
