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

    static readonly Worker[] workers = Start(Environment.ProcessorCount - 1);
    static readonly Lock gate = new();

    static Action<int>? body;
    static int parts, next, running, helpers;
    static long generation;
    static Exception? failure;

    /// <summary>The number of threads a job can use: the workers plus the caller.</summary>
    public static int Threads => workers.Length + 1;

    /// <summary>
    /// Runs <paramref name="work"/>(0 … <paramref name="count"/> − 1), each index exactly once, on the
    /// calling thread and up to <paramref name="threads"/> − 1 workers, and returns when all have finished.
    /// Indices are handed out one at a time, so a core slowed by other load simply takes fewer. The first
    /// exception thrown by <paramref name="work"/> on a worker is rethrown here after the join.
    /// </summary>
    public static void Run(int count, int threads, Action<int> work)
    {
        int enlist = Math.Min(Math.Min(threads, count) - 1, workers.Length);
        if (enlist <= 0 || !gate.TryEnter())
        {
            for (int i = 0; i < count; i++) work(i);
            return;
        }
        Exception? failed;
        try
        {
            body = work;
            parts = count;
            next = 0;
            helpers = enlist;
            running = enlist;
            failure = null;
            Interlocked.Increment(ref generation); // full fence: publishes the fields above
            for (int w = 0; w < enlist; w++)
                if (Interlocked.Exchange(ref workers[w].Sleeping, 0) == 1) workers[w].Wake.Release();
            try { Drain(work); }
            finally
            {
                var spin = new SpinWait();
                while (Volatile.Read(ref running) != 0) spin.SpinOnce(sleep1Threshold: -1);
                body = null;
                failed = failure;
            }
        }
        finally { gate.Exit(); }
        if (failed is not null) throw new AggregateException("A matrix-product worker failed.", failed);
    }

    static void Drain(Action<int> work)
    {
        int i;
        while ((i = Interlocked.Increment(ref next) - 1) < parts) work(i);
    }

    static Worker[] Start(int count)
    {
        var all = new Worker[Math.Max(count, 0)];
        for (int w = 0; w < all.Length; w++)
        {
            var worker = all[w] = new Worker();
            int index = w;
            new Thread(() => Loop(worker, index)) { IsBackground = true, Name = $"Nabla GEMM worker {w + 1}" }.Start();
        }
        return all;
    }

    static void Loop(Worker me, int index)
    {
        long seen = 0, spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < spinTicks) { Thread.SpinWait(20); continue; }
                Interlocked.Exchange(ref me.Sleeping, 1); // full fence, pairs with Run's increment-then-exchange
                if (Volatile.Read(ref generation) != seen && Interlocked.Exchange(ref me.Sleeping, 0) == 1) break;
                me.Wake.Wait(); // released by Run, or already released if Run cleared our flag first
                start = Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref generation);
            // Workers not enlisted for this job (index ≥ helpers) go back to waiting without touching it.
            Action<int>? work = body;
            if (work is null || index >= Volatile.Read(ref helpers)) continue;
            try { Drain(work); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            finally { Interlocked.Decrement(ref running); }
        }
    }
}
