using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class GemmWorkersTests
{
    [Fact]
    public void Run_calls_every_index_exactly_once_even_from_concurrent_callers()
    {
        const int callers = 4, rounds = 200, count = 7;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, callers, caller =>
        {
            for (int r = 0; r < rounds; r++)
            {
                var hits = new int[count];
                GemmWorkers.Run(count, GemmWorkers.Threads, i => Interlocked.Increment(ref hits[i]));
                if (hits.Any(h => h != 1)) failures.Add($"caller {caller} round {r}: hits [{string.Join(", ", hits)}]");
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void Run_rethrows_a_failure_and_stays_usable()
    {
        Assert.ThrowsAny<Exception>(() => GemmWorkers.Run(8, GemmWorkers.Threads, i => { if (i % 2 == 1) throw new InvalidOperationException("part " + i); }));
        int sum = 0;
        GemmWorkers.Run(10, GemmWorkers.Threads, i => Interlocked.Add(ref sum, i));
        Assert.Equal(45, sum);
    }
}
