using System.Collections;
using System.Numerics;
using Nabla.Rng;

namespace Nabla.Data;

/// <summary>
/// Batches over a dataset, as PyTorch's <c>DataLoader</c>: each enumeration is one epoch of <see cref="Batch{T}"/>es
/// of <see cref="BatchSize"/> samples (the last one shorter unless <see cref="DropLast"/>). Over a map-style dataset,
/// with <see cref="Shuffle"/> the order is a fresh <c>permutation(n)</c> drawn from the generator when the enumeration
/// starts (the same numbers NumPy's legacy <c>RandomState.permutation</c> gives for the same seed); without it, 0 … n − 1.
/// Over an iterable dataset, batches follow the stream. With <see cref="Prefetch"/> &gt; 0 a background thread builds up
/// to that many batches ahead while the caller trains on the current one; an exception on that thread is rethrown by
/// <c>MoveNext</c> on the caller's thread, and disposing the enumerator (leaving a <c>foreach</c> early included) stops
/// the thread and waits for it to end. Each batch is built from new tensors; samples are copied straight into them.
/// </summary>
public sealed class DataLoader<T> : IEnumerable<Batch<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The largest <see cref="Prefetch"/>: each prefetched batch is memory held ahead of use.</summary>
    public const int MaxPrefetch = 8;

    private readonly IDataset<T>? dataset;
    private readonly IIterableDataset<T>? stream;
    private readonly RandomState random = RandomState.Default;

    /// <summary>Batches over the map-style <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch, ≥ 1.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a fresh random order.</param>
    /// <param name="dropLast">Whether to leave out a last batch shorter than <paramref name="batchSize"/>.</param>
    /// <param name="random">The generator the permutations come from; <see cref="RandomState.Default"/> when null.</param>
    /// <param name="prefetch">Batches built ahead on a background thread, 0 … <see cref="MaxPrefetch"/>; 0 builds each batch in <c>MoveNext</c>.</param>
    public DataLoader(IDataset<T> dataset, int batchSize, bool shuffle = false, bool dropLast = false, RandomState? random = null, int prefetch = 1)
        : this(batchSize, dropLast, prefetch, dataset?.Input, dataset?.Target, nameof(dataset))
    {
        this.dataset = dataset;
        Shuffle = shuffle;
        this.random = random ?? RandomState.Default;
    }

    /// <summary>Batches over the iterable <paramref name="dataset"/>, in stream order (the dataset may shuffle within a buffer).</summary>
    /// <param name="dataset">The stream of samples.</param>
    /// <param name="batchSize">Samples per batch, ≥ 1.</param>
    /// <param name="dropLast">Whether to leave out a last batch shorter than <paramref name="batchSize"/>.</param>
    /// <param name="prefetch">Batches built ahead on a background thread, 0 … <see cref="MaxPrefetch"/>.</param>
    public DataLoader(IIterableDataset<T> dataset, int batchSize, bool dropLast = false, int prefetch = 1)
        : this(batchSize, dropLast, prefetch, dataset?.Input, dataset?.Target, nameof(dataset))
    {
        stream = dataset;
    }

    private DataLoader(int batchSize, bool dropLast, int prefetch, SampleField? input, SampleField? target, string datasetParameter)
    {
        if (input is null || target is null) throw new NablaArgumentException(datasetParameter, "DataLoader: the dataset is null");
        if (batchSize < 1) throw new NablaArgumentException(nameof(batchSize), $"DataLoader: batchSize is {batchSize}; it must be ≥ 1");
        if (prefetch is < 0 or > MaxPrefetch)
            throw new NablaArgumentException(nameof(prefetch), $"DataLoader: prefetch is {prefetch}; it must be in [0, {MaxPrefetch}]");
        BatchSize = batchSize;
        DropLast = dropLast;
        Prefetch = prefetch;
        Input = input;
        Target = target;
    }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch draws a fresh permutation (map-style datasets only).</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last batch shorter than <see cref="BatchSize"/> is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Batches built ahead on a background thread; 0 means none (no thread).</summary>
    public int Prefetch { get; }

    /// <summary>The layout of each sample's input.</summary>
    public SampleField Input { get; }

    /// <summary>The layout of each sample's target.</summary>
    public SampleField Target { get; }

    /// <summary>
    /// Batches per epoch over a map-style dataset: ⌊n / B⌋ with <see cref="DropLast"/>, else ⌈n / B⌉; null over an
    /// iterable dataset, whose length is not known before it is read.
    /// </summary>
    public int? Count => dataset is null ? null : DropLast ? dataset.Count / BatchSize : Batches.Count(dataset.Count, BatchSize);

    /// <summary>Starts an epoch: draws its order now (on this thread) and, with <see cref="Prefetch"/> &gt; 0, starts its worker.</summary>
    public IEnumerator<Batch<T>> GetEnumerator()
    {
        IEnumerable<Batch<T>> batches;
        if (dataset is not null)
        {
            int n = dataset.Count;
            int[] order = Shuffle ? random.Permutation(n) : Identity(n);
            batches = MapBatches(dataset, order);
        }
        else
        {
            batches = StreamBatches(stream!);
        }
        return Prefetch == 0 ? batches.GetEnumerator() : new BackgroundBatches<T>(batches, Prefetch);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<Batch<T>> MapBatches(IDataset<T> data, int[] order)
    {
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            int rows = Math.Min(BatchSize, order.Length - start);
            if (rows < BatchSize && DropLast) yield break;
            var batch = Batch<T>.Allocate(rows, Input, Target);
            FillFromDataset(data, order.AsSpan(start, rows), batch);
            yield return batch;
        }
    }

    private void FillFromDataset(IDataset<T> data, ReadOnlySpan<int> indices, Batch<T> batch)
    {
        for (int i = 0; i < indices.Length; i++)
            data.CopySample(indices[i], batch.Row(i, Input, Target));
    }

    private IEnumerable<Batch<T>> StreamBatches(IIterableDataset<T> data)
    {
        using var reader = data.Open();
        while (true)
        {
            var batch = Batch<T>.Allocate(BatchSize, Input, Target);
            int rows = FillFromStream(reader, batch);
            if (rows == BatchSize)
            {
                yield return batch;
                continue;
            }
            if (rows > 0 && !DropLast) yield return batch.Truncate(rows, Input, Target);
            yield break;
        }
    }

    private int FillFromStream(ISampleReader<T> reader, Batch<T> batch)
    {
        int rows = 0;
        while (rows < BatchSize && reader.ReadNext(batch.Row(rows, Input, Target)))
            rows++;
        return rows;
    }

    private static int[] Identity(int n)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
