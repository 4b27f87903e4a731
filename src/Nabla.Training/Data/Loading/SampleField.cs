using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// The layout of one part of a sample (its input or its target): whether it holds values of the tensor type
/// (pixels, features, regression targets) or whole numbers (class indices, token ids), and its shape. A batch of B
/// samples stacks them into a <see cref="Tensor{T}"/> or an <see cref="IndexTensor"/> of shape [B, …shape].
/// </summary>
public sealed class SampleField
{
    private readonly int[] shape;

    private SampleField(bool isIndices, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        for (int d = 0; d < shape.Length; d++)
            if (shape[d] < 0) throw new NablaArgumentException(nameof(shape), $"SampleField: dimension {d} of shape {Shapes.Format(shape)} is negative");
        IsIndices = isIndices;
        this.shape = (int[])shape.Clone();
        Size = Shapes.ElementCount(shape);
    }

    /// <summary>A field of floating-point values of <paramref name="shape"/> (empty: one value per sample).</summary>
    public static SampleField Values(params int[] shape) => new(false, shape);

    /// <summary>A field of whole numbers of <paramref name="shape"/> (empty: one class index per sample).</summary>
    public static SampleField Indices(params int[] shape) => new(true, shape);

    /// <summary>True for whole numbers (batched as an <see cref="IndexTensor"/>), false for values (a <see cref="Tensor{T}"/>).</summary>
    public bool IsIndices { get; }

    /// <summary>The shape of the field in one sample; a batch has shape [B, …Shape].</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The number of elements of the field in one sample (the product of <see cref="Shape"/>).</summary>
    public int Size { get; }

    /// <summary>The batch shape [<paramref name="rows"/>, …Shape].</summary>
    internal int[] BatchShape(int rows) => [rows, .. shape];

    /// <summary>"values (1, 28, 28)" or "indices ()".</summary>
    public override string ToString() => $"{(IsIndices ? "indices" : "values")} {Shapes.Format(shape)}";
}

/// <summary>
/// Where a dataset writes one sample: the batch's rows for it. Exactly one of <see cref="Inputs"/> and
/// <see cref="InputIndices"/> has the input's <see cref="SampleField.Size"/> elements (the other is empty), as the
/// dataset's <see cref="SampleField.IsIndices"/> says; likewise for the target.
/// </summary>
public readonly ref struct SampleBuffers<T>
{
    /// <summary>Wraps the four destinations; the two that do not match the dataset's fields are empty.</summary>
    public SampleBuffers(Span<T> inputs, Span<int> inputIndices, Span<T> targets, Span<int> targetIndices)
    {
        Inputs = inputs;
        InputIndices = inputIndices;
        Targets = targets;
        TargetIndices = targetIndices;
    }

    /// <summary>The input's values, row-major, when the input field holds values.</summary>
    public Span<T> Inputs { get; }

    /// <summary>The input's whole numbers, row-major, when the input field holds indices.</summary>
    public Span<int> InputIndices { get; }

    /// <summary>The target's values, row-major, when the target field holds values.</summary>
    public Span<T> Targets { get; }

    /// <summary>The target's whole numbers, row-major, when the target field holds indices.</summary>
    public Span<int> TargetIndices { get; }
}
