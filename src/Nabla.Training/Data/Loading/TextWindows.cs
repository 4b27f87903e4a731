namespace Nabla.Data;

/// <summary>
/// The language-modelling samples of a stretch of character ids: sample i is the window x = ids[i … i + context − 1]
/// and its targets y = ids[i + 1 … i + context], the next id at every position (x shifted by one), for
/// i = 0 … length − context − 1. Both are whole numbers, batched as <see cref="Nabla.Tensors.IndexTensor"/>s
/// [B, context]. A loader that shuffles visits every window once per epoch, in random order (nanoGPT draws offsets
/// with replacement instead). Serves loaders of either float type.
/// </summary>
public sealed class TextWindows : IDataset<float>, IDataset<double>
{
    private readonly int[] ids;
    private readonly int start;

    internal TextWindows(int[] ids, int start, int length, int context, string source)
    {
        if (context < 1) throw new NablaArgumentException(nameof(context), $"TextWindows: context is {context}; it must be ≥ 1");
        if (context >= length)
            throw new NablaException($"{source}: context {context} needs at least {(long)context + 1} characters (a window and the id after it), but there are {length}");
        this.ids = ids;
        this.start = start;
        Context = context;
        Count = length - context;
        Input = SampleField.Indices(context);
        Target = SampleField.Indices(context);
    }

    /// <summary>The window length.</summary>
    public int Context { get; }

    /// <summary>The number of windows: length − context.</summary>
    public int Count { get; }

    /// <summary>Indices [context]: the window.</summary>
    public SampleField Input { get; }

    /// <summary>Indices [context]: the id after each position of the window.</summary>
    public SampleField Target { get; }

    /// <summary>Writes window <paramref name="index"/> and its shifted targets.</summary>
    public void CopySample(int index, SampleBuffers<float> into) => Copy(index, into.InputIndices, into.TargetIndices);

    /// <summary>Writes window <paramref name="index"/> and its shifted targets.</summary>
    public void CopySample(int index, SampleBuffers<double> into) => Copy(index, into.InputIndices, into.TargetIndices);

    private void Copy(int index, Span<int> x, Span<int> y)
    {
        if ((uint)index >= (uint)Count)
            throw new NablaArgumentException(nameof(index), $"TextWindows.CopySample: index {index} is outside [0, {Count})");
        ids.AsSpan(start + index, Context).CopyTo(x);
        ids.AsSpan(start + index + 1, Context).CopyTo(y);
    }
}
