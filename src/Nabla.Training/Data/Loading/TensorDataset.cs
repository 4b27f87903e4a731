using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// Samples held in memory as tensors whose first dimension is the sample (PyTorch's <c>TensorDataset</c>): sample i is
/// inputs[i, …] and targets[i, …]. Inputs and targets are each a <see cref="Tensor{T}"/> (values) or an
/// <see cref="IndexTensor"/> (class indices, token ids). A contiguous tensor is read in place (later writes to it show
/// in later batches); a strided view is copied once.
/// </summary>
public sealed class TensorDataset<T> : IDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>? inputs, targets;
    private readonly IndexTensor? inputIndices, targetIndices;

    /// <summary>Value inputs [N, …] and value targets [N, …] (regression).</summary>
    public TensorDataset(Tensor<T> inputs, Tensor<T> targets) : this(inputs, null, targets, null) { }

    /// <summary>Value inputs [N, …] and whole-number targets [N, …] (class indices).</summary>
    public TensorDataset(Tensor<T> inputs, IndexTensor targets) : this(inputs, null, null, targets) { }

    /// <summary>Whole-number inputs [N, …] (token ids) and whole-number targets [N, …].</summary>
    public TensorDataset(IndexTensor inputs, IndexTensor targets) : this(null, inputs, null, targets) { }

    /// <summary>Whole-number inputs [N, …] (token ids) and value targets [N, …].</summary>
    public TensorDataset(IndexTensor inputs, Tensor<T> targets) : this(null, inputs, targets, null) { }

    private TensorDataset(Tensor<T>? inputs, IndexTensor? inputIndices, Tensor<T>? targets, IndexTensor? targetIndices)
    {
        if (inputs is null && inputIndices is null) throw new NablaArgumentException(nameof(inputs), "TensorDataset: inputs is null");
        if (targets is null && targetIndices is null) throw new NablaArgumentException(nameof(targets), "TensorDataset: targets is null");
        var inputShape = inputs?.Shape ?? inputIndices!.Shape;
        var targetShape = targets?.Shape ?? targetIndices!.Shape;
        if (inputShape.Count == 0) throw new NablaArgumentException(nameof(inputs), "TensorDataset: inputs is a scalar; it needs a first dimension that counts the samples");
        if (targetShape.Count == 0) throw new NablaArgumentException(nameof(targets), "TensorDataset: targets is a scalar; it needs a first dimension that counts the samples");
        if (inputShape[0] != targetShape[0])
            throw new NablaException($"TensorDataset: inputs {Shapes.Format([.. inputShape])} and targets {Shapes.Format([.. targetShape])} disagree on the number of samples ({inputShape[0]} and {targetShape[0]})");
        this.inputs = inputs?.Contiguous();
        this.inputIndices = inputIndices;
        this.targets = targets?.Contiguous();
        this.targetIndices = targetIndices;
        Count = inputShape[0];
        Input = inputs is null ? SampleField.Indices([.. inputShape.Skip(1)]) : SampleField.Values([.. inputShape.Skip(1)]);
        Target = targets is null ? SampleField.Indices([.. targetShape.Skip(1)]) : SampleField.Values([.. targetShape.Skip(1)]);
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public SampleField Input { get; }

    /// <inheritdoc/>
    public SampleField Target { get; }

    /// <inheritdoc/>
    public void CopySample(int index, SampleBuffers<T> into)
    {
        if ((uint)index >= (uint)Count)
            throw new NablaArgumentException(nameof(index), $"TensorDataset.CopySample: index {index} is outside [0, {Count})");
        int a = Input.Size, b = Target.Size;
        if (inputs is not null) inputs.AsReadOnlySpan().Slice(index * a, a).CopyTo(into.Inputs);
        else inputIndices!.AsReadOnlySpan().Slice(index * a, a).CopyTo(into.InputIndices);
        if (targets is not null) targets.AsReadOnlySpan().Slice(index * b, b).CopyTo(into.Targets);
        else targetIndices!.AsReadOnlySpan().Slice(index * b, b).CopyTo(into.TargetIndices);
    }
}
