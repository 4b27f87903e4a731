using System.Diagnostics;

namespace Nabla.Kernels;

/// <summary>
/// Fork–join for the matrix product: <see cref="Environment.ProcessorCount"/> − 1 background threads that,
/// after each job, keep polling for the next one for <see cref="SpinMicroseconds"/> before they block. Back
/// to back products (a training loop, a benchmark) then start on every core within about a microsecond,
/// where a sleeping thread-pool thread can take tens of microseconds to wake; a product at n = 256 takes
/// only about 200 µs. One job runs at a time: a caller that finds the workers busy (another thread's
/// product) runs all its parts itself, so the cores are never oversubscribed and nothing waits on a lock.
/// </summary>
internal static class GemmWorkers
{
    /// <summary>How long an idle worker polls for the next job before blocking.</summary>
    public const int SpinMicroseconds = 100;

    sealed class Worker
    {
        public readonly SemaphoreSlim Wake = new(0);
        public int Sleeping; // 1 while blocked (or about to block) on Wake
    }

    /// <summary>One call's work. Workers take indices from <see cref="Next"/>; the caller waits for <see cref="Done"/>.</summary>
    sealed class Job(Action<int> body, int count, int helpers)
    {
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        public int Next, Done;
        public int Seats = helpers; // workers that may still join (the caller's thread limit)
        public Exception? Failure;

        /// <summary>Runs indices until none is left; a worker that arrives late finds none and returns.</summary>
        public void Drain()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count)
            {
                try { Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref Failure, e, null); }
                finally { Interlocked.Increment(ref Done); }
            }
        }
    }

    static readonly Worker[] workers = Start(Environment.ProcessorCount - 1);
    static readonly Lock gate = new();
    static Job? current;

    /// <summary>The number of threads a job can use: the workers plus the caller.</summary>
    public static int Threads => workers.Length + 1;

    /// <summary>
    /// Runs <paramref name="work"/>(0 … <paramref name="count"/> − 1), each index exactly once, on the
    /// calling thread and up to <paramref name="threads"/> − 1 workers, and returns when all have finished.
    /// Indices are handed out one at a time, so a core slowed by other load (or a worker slow to wake)
    /// simply takes fewer, and the caller never waits for a worker that has not started. The first
    /// exception thrown by <paramref name="work"/> is rethrown here, wrapped, after all indices have run.
    /// </summary>
    public static void Run(int count, int threads, Action<int> work)
    {
        int enlist = Math.Min(Math.Min(threads, count) - 1, workers.Length);
        if (enlist <= 0 || !gate.TryEnter())
        {
            for (int i = 0; i < count; i++) work(i);
            return;
        }
        var job = new Job(work, count, enlist);
        try
        {
            Interlocked.Exchange(ref current, job); // full fence: pairs with the workers' Sleeping exchange
            for (int w = 0; w < enlist; w++)
                if (Interlocked.Exchange(ref workers[w].Sleeping, 0) == 1) workers[w].Wake.Release();
            job.Drain();
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Done) < count) spin.SpinOnce(sleep1Threshold: -1);
        }
        finally { gate.Exit(); }
        if (job.Failure is not null) throw new AggregateException("A matrix-product part failed.", job.Failure);
    }

    static Worker[] Start(int count)
    {
        var all = new Worker[Math.Max(count, 0)];
        for (int w = 0; w < all.Length; w++)
        {
            var worker = all[w] = new Worker();
            new Thread(() => Loop(worker)) { IsBackground = true, Name = $"Nabla GEMM worker {w + 1}" }.Start();
        }
        return all;
    }

    static void Loop(Worker me)
    {
        Job? seen = null;
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref current) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < spinTicks) { Thread.SpinWait(20); continue; }
                Interlocked.Exchange(ref me.Sleeping, 1); // full fence, pairs with Run's publish-then-exchange
                if (Volatile.Read(ref current) != seen && Interlocked.Exchange(ref me.Sleeping, 0) == 1) break;
                me.Wake.Wait(); // released by Run, or already released if Run cleared our flag first
                start = Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref current);
            if (seen is not null && Interlocked.Decrement(ref seen.Seats) >= 0) seen.Drain();
        }
    }
}
