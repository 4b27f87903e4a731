namespace Nabla.Tests;

/// <summary>
/// Bytes a piece of work allocates on the calling thread, as the least of a few attempts: tests run in parallel,
/// and a full collection another test causes makes ArrayPool.Shared drop its pooled buffers, so one measurement
/// can include a buffer that is normally reused. Work that really allocates does so in every attempt.
/// </summary>
public static class AllocationMeasure
{
    public static long Least(Action work, int attempts = 3)
    {
        long least = long.MaxValue;
        for (int i = 0; i < attempts; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
