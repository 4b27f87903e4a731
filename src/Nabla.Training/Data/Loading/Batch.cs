using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// B samples stacked along a new first dimension: the inputs as [B, …input shape] and the targets as
/// [B, …target shape], each a <see cref="Tensor{T}"/> when its field holds values and an <see cref="IndexTensor"/> when
/// it holds whole numbers (class indices: targets [B]; token ids: [B, context]). The tensors are new and the caller's
/// to keep. Reading the property of the other kind throws, naming the one to read.
/// </summary>
public sealed class Batch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>? inputs, targets;
    private readonly IndexTensor? inputIndices, targetIndices;

    internal Batch(int rows, Tensor<T>? inputs, IndexTensor? inputIndices, Tensor<T>? targets, IndexTensor? targetIndices)
    {
        Rows = rows;
        this.inputs = inputs;
        this.inputIndices = inputIndices;
        this.targets = targets;
        this.targetIndices = targetIndices;
    }

    /// <summary>The number of samples B (the last batch of an epoch may be shorter than the batch size).</summary>
    public int Rows { get; }

    /// <summary>The inputs [B, …] when the dataset's inputs are values.</summary>
    /// <exception cref="NablaException">The inputs are whole numbers; read <see cref="InputIndices"/>.</exception>
    public Tensor<T> Inputs => inputs ?? throw new NablaException("Batch.Inputs: this dataset's inputs are whole numbers (indices); read Batch.InputIndices");

    /// <summary>The inputs [B, …] when the dataset's inputs are whole numbers (token ids).</summary>
    /// <exception cref="NablaException">The inputs are values; read <see cref="Inputs"/>.</exception>
    public IndexTensor InputIndices => inputIndices ?? throw new NablaException("Batch.InputIndices: this dataset's inputs are values; read Batch.Inputs");

    /// <summary>The targets [B, …] when the dataset's targets are values (regression).</summary>
    /// <exception cref="NablaException">The targets are whole numbers; read <see cref="TargetIndices"/>.</exception>
    public Tensor<T> Targets => targets ?? throw new NablaException("Batch.Targets: this dataset's targets are whole numbers (class indices or token ids); read Batch.TargetIndices");

    /// <summary>The targets [B, …] when the dataset's targets are whole numbers (class indices, next-token ids).</summary>
    /// <exception cref="NablaException">The targets are values; read <see cref="Targets"/>.</exception>
    public IndexTensor TargetIndices => targetIndices ?? throw new NablaException("Batch.TargetIndices: this dataset's targets are values; read Batch.Targets");

    /// <summary>Fresh zeroed buffers for <paramref name="rows"/> samples of the two fields.</summary>
    internal static Batch<T> Allocate(int rows, SampleField input, SampleField target) => new(rows,
        input.IsIndices ? null : Tensor<T>.Zeros(input.BatchShape(rows)),
        input.IsIndices ? IndexTensor.Zeros(input.BatchShape(rows)) : null,
        target.IsIndices ? null : Tensor<T>.Zeros(target.BatchShape(rows)),
        target.IsIndices ? IndexTensor.Zeros(target.BatchShape(rows)) : null);

    /// <summary>The destinations of sample <paramref name="row"/> of this batch (empty spans for the kinds the fields do not use).</summary>
    internal SampleBuffers<T> Row(int row, SampleField input, SampleField target)
    {
        int a = input.Size, b = target.Size;
        return new SampleBuffers<T>(
            inputs is null ? default : inputs.AsSpan().Slice(row * a, a),
            inputIndices is null ? default : inputIndices.AsSpan().Slice(row * a, a),
            targets is null ? default : targets.AsSpan().Slice(row * b, b),
            targetIndices is null ? default : targetIndices.AsSpan().Slice(row * b, b));
    }

    /// <summary>The first <paramref name="rows"/> samples of this batch as a new, shorter batch (a stream's last batch).</summary>
    internal Batch<T> Truncate(int rows, SampleField input, SampleField target)
    {
        var shorter = Allocate(rows, input, target);
        if (inputs is not null) inputs.AsReadOnlySpan()[..(rows * input.Size)].CopyTo(shorter.inputs!.AsSpan());
        if (inputIndices is not null) inputIndices.AsReadOnlySpan()[..(rows * input.Size)].CopyTo(shorter.inputIndices!.AsSpan());
        if (targets is not null) targets.AsReadOnlySpan()[..(rows * target.Size)].CopyTo(shorter.targets!.AsSpan());
        if (targetIndices is not null) targetIndices.AsReadOnlySpan()[..(rows * target.Size)].CopyTo(shorter.targetIndices!.AsSpan());
        return shorter;
    }
}
