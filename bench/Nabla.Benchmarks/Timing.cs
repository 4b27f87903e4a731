using System.Diagnostics;

namespace Nabla.Benchmarks;

/// <summary>The peers' timing rule: one warm-up call, then the best of <c>reps</c> timed calls, in seconds.</summary>
internal static class Timing
{
    public static double BestOf(Action f, int reps = 5)
    {
        f();
        double best = double.PositiveInfinity;
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            f();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return best;
    }
}
