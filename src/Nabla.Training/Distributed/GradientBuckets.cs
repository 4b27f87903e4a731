using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.ExceptionServices;
using Nabla.Tensors;

namespace Nabla.Distributed;

/// <summary>
/// Sums parameter gradients over all ranks while backward still runs (PyTorch DDP's design). The parameters are
/// grouped into buckets of about <c>bucketBytes</c>, last parameters (the output layer) first, because backward
/// finishes their gradients first. When every gradient in a bucket is final, the bucket is copied into one flat buffer
/// and summed by an allreduce on a background thread; buckets start strictly in bucket order, so every rank issues
/// the same collectives in the same order even if gradients finish in another order.
/// </summary>
internal sealed class GradientBuckets<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ICollectives comm;
    private readonly Bucket[] buckets;
    private readonly Dictionary<Tensor<T>, int> bucketOf = new(ReferenceEqualityComparer.Instance);
    private readonly BlockingCollection<Bucket> queue = [];
    private readonly Thread worker;
    private int nextToStart;

    public GradientBuckets(IReadOnlyList<Tensor<T>> parameters, ICollectives comm, int bucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        this.comm = comm;
        int elementSize = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var list = new List<Bucket>();
        var members = new List<Tensor<T>>();
        long bytes = 0;
        for (int i = parameters.Count - 1; i >= 0; i--)
        {
            members.Add(parameters[i]);
            bytes += (long)parameters[i].ElementCount * elementSize;
            if (bytes >= bucketBytes || i == 0)
            {
                list.Add(new Bucket([.. members]));
                members.Clear();
                bytes = 0;
            }
        }
        buckets = [.. list];
        for (int b = 0; b < buckets.Length; b++)
            foreach (var p in buckets[b].Parameters)
                if (!bucketOf.TryAdd(p, b)) throw new NablaException("a parameter appears twice in the list to synchronise");
        // The tensor engine calls Ready with each parameter as soon as backward has finished its gradient.
        foreach (var p in bucketOf.Keys) p.OnGradReady = Ready;
        worker = new Thread(Communicate) { IsBackground = true, Name = "gradient allreduce" };
        worker.Start();
    }

    /// <summary>The buckets' sizes in elements, in the order they are reduced.</summary>
    public IReadOnlyList<int> BucketLengths => [.. buckets.Select(b => b.Buffer.Length)];

    /// <summary>Time this rank spent waiting for allreduces after its own backward had finished, summed over calls.</summary>
    public TimeSpan ExposedCommunication { get; private set; }

    /// <summary>Time the background thread spent inside allreduce calls, summed over calls.</summary>
    public TimeSpan CommunicationBusy { get; private set; }

    /// <summary>
    /// Runs backward from <paramref name="loss"/> seeded with <paramref name="weight"/> (this rank's share of the global
    /// batch), or no backward at all when <paramref name="loss"/> is null (a rank with no rows in this batch contributes
    /// zeros), then leaves in every parameter's gradient the sum of all ranks' gradients.
    /// </summary>
    public void Synchronize(Tensor<T>? loss, T weight)
    {
        foreach (var b in buckets) b.Reset();
        nextToStart = 0;
        if (loss is not null) loss.Backward(Tensor<T>.Full(weight, loss.ShapeArray));
        // Parameters backward did not reach (no rows, or unused) contribute zeros; every bucket must still be summed.
        foreach (var b in buckets) b.Pending = 0;
        StartReadyBuckets();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var b in buckets) b.Done.Wait();
        ExposedCommunication += clock.Elapsed;
        foreach (var b in buckets)
            if (b.Failure is not null) ExceptionDispatchInfo.Capture(b.Failure).Throw();
        foreach (var b in buckets) b.CopyOut();
    }

    private void Ready(Tensor<T> leaf)
    {
        if (!bucketOf.TryGetValue(leaf, out int b)) return;
        buckets[b].Pending--;
        StartReadyBuckets();
    }

    private void StartReadyBuckets()
    {
        while (nextToStart < buckets.Length && buckets[nextToStart].Pending == 0)
        {
            var bucket = buckets[nextToStart++];
            bucket.CopyIn();
            queue.Add(bucket);
        }
    }

    private void Communicate()
    {
        foreach (var bucket in queue.GetConsumingEnumerable())
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try { comm.AllreduceSum<T>(bucket.Buffer); }
            catch (Exception e) { bucket.Failure = e; }
            CommunicationBusy += clock.Elapsed;
            bucket.Done.Set();
        }
    }

    /// <summary>Stops the background thread (after the reductions already queued) and unhooks the parameters.</summary>
    public void Dispose()
    {
        foreach (var p in bucketOf.Keys) p.OnGradReady = null;
        queue.CompleteAdding();
        worker.Join();
    }

    private sealed class Bucket(Tensor<T>[] parameters)
    {
        public Tensor<T>[] Parameters { get; } = parameters;
        public T[] Buffer { get; } = new T[parameters.Sum(p => p.ElementCount)];
        public ManualResetEventSlim Done { get; } = new();
        public int Pending { get; set; }
        public Exception? Failure { get; set; }

        public void Reset()
        {
            Pending = Parameters.Length;
            Failure = null;
            Done.Reset();
        }

        /// <summary>Packs the gradients into the buffer (a parameter without one packs zeros).</summary>
        public void CopyIn()
        {
            int at = 0;
            foreach (var p in Parameters)
            {
                var span = Buffer.AsSpan(at, p.ElementCount);
                if (p.Grad is { } g) g.Contiguous().AsSpan().CopyTo(span);
                else span.Clear();
                at += p.ElementCount;
            }
        }

        /// <summary>Writes the summed gradients back, giving a gradient to a parameter that had none.</summary>
        public void CopyOut()
        {
            int at = 0;
            foreach (var p in Parameters)
            {
                var sum = new ReadOnlySpan<T>(Buffer, at, p.ElementCount);
                if (p.Grad is { IsContiguous: true } g) sum.CopyTo(g.AsSpan());
                else p.Grad = new Tensor<T>(sum.ToArray(), [.. p.Shape]);
                at += p.ElementCount;
            }
        }
    }
}
