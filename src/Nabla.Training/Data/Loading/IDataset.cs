using System.Numerics;

namespace Nabla.Data;

/// <summary>
/// A map-style dataset (PyTorch's <c>Dataset</c>): <see cref="Count"/> samples, each an input and a target of fixed
/// layouts, copied on request straight into a batch's buffers so that batching allocates nothing per sample.
/// <see cref="CopySample"/> may be called from a loader's background thread, so it must only read shared state.
/// </summary>
public interface IDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of samples.</summary>
    int Count { get; }

    /// <summary>The layout of each sample's input.</summary>
    SampleField Input { get; }

    /// <summary>The layout of each sample's target.</summary>
    SampleField Target { get; }

    /// <summary>Writes sample <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>) into <paramref name="into"/>.</summary>
    void CopySample(int index, SampleBuffers<T> into);
}

/// <summary>
/// An iterable dataset (PyTorch's <c>IterableDataset</c>): samples read in order from a source that need not fit in
/// memory, with no random access and, in general, no known count. Each <see cref="Open"/> starts a new pass.
/// </summary>
public interface IIterableDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layout of each sample's input.</summary>
    SampleField Input { get; }

    /// <summary>The layout of each sample's target.</summary>
    SampleField Target { get; }

    /// <summary>Starts a pass over the samples; the caller disposes the reader.</summary>
    ISampleReader<T> Open();
}

/// <summary>One pass over an <see cref="IIterableDataset{T}"/>.</summary>
public interface ISampleReader<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Writes the next sample into <paramref name="into"/> and returns true, or returns false at the end.</summary>
    bool ReadNext(SampleBuffers<T> into);
}
