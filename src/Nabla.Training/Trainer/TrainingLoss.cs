using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// The loss a <see cref="Trainer{T}"/> minimises, as an object: how a batch's network output and targets become a
/// 0-d loss tensor, and (for a classifier) which class an output row predicts. The four built-in losses are
/// <see cref="MseLoss{T}"/>, <see cref="BinaryCrossEntropyLoss{T}"/>, <see cref="CrossEntropyLoss{T}"/> and
/// <see cref="HingeLoss{T}"/>; derive from this class for another one.
/// </summary>
public abstract class TrainingLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A short key that names the loss in files and tables, e.g. <c>"mse"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when the targets are class indices (the batch's <see cref="Batch{T}.Labels"/>).</summary>
    public abstract bool IsClassifier { get; }

    /// <summary>The mean loss of <paramref name="output"/> [rows, outputs] against <paramref name="batch"/>'s targets, a 0-d tensor.</summary>
    public abstract Tensor<T> Compute(Tensor<T> output, Batch<T> batch);

    /// <summary>The class one output row predicts (classifiers only): the largest logit, or score &gt; 0 for one output.</summary>
    public virtual int PredictedClass(ReadOnlySpan<T> row)
    {
        if (row.Length == 1) return row[0] > T.Zero ? 1 : 0;
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    /// <summary>The loss's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>Mean squared error against the batch's <see cref="Batch{T}.Targets"/> (PyTorch's <c>mse_loss</c>).</summary>
public sealed class MseLoss<T> : TrainingLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "mse";

    /// <inheritdoc/>
    public override bool IsClassifier => false;

    /// <inheritdoc/>
    public override Tensor<T> Compute(Tensor<T> output, Batch<T> batch) => Losses.Loss.Mse(output, batch.Targets);
}

/// <summary>Binary cross-entropy on one logit per row against targets 0 and 1 (<c>binary_cross_entropy_with_logits</c>).</summary>
public sealed class BinaryCrossEntropyLoss<T> : TrainingLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "bce";

    /// <inheritdoc/>
    public override bool IsClassifier => true;

    /// <inheritdoc/>
    public override Tensor<T> Compute(Tensor<T> output, Batch<T> batch) => Losses.Loss.BinaryCrossEntropyWithLogits(output, batch.Targets);
}

/// <summary>Softmax cross-entropy of one logit per class against class indices (<c>F.cross_entropy</c>).</summary>
public sealed class CrossEntropyLoss<T> : TrainingLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "ce";

    /// <inheritdoc/>
    public override bool IsClassifier => true;

    /// <inheritdoc/>
    public override Tensor<T> Compute(Tensor<T> output, Batch<T> batch) =>
        Losses.Loss.CrossEntropy(output, batch.Labels ?? throw new NablaException("cross-entropy needs class labels, but the batch has none"));
}

/// <summary>micrograd's max-margin loss max(0, 1 − y·s) on one score per row, classes 0 and 1 read as y = −1 and +1.</summary>
public sealed class HingeLoss<T> : TrainingLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "hinge";

    /// <inheritdoc/>
    public override bool IsClassifier => true;

    /// <inheritdoc/>
    public override Tensor<T> Compute(Tensor<T> output, Batch<T> batch)
    {
        var labels = batch.Labels ?? throw new NablaException("the hinge loss needs class labels, but the batch has none");
        var signs = new T[labels.Length];
        for (int i = 0; i < signs.Length; i++) signs[i] = labels[i] == 1 ? T.One : -T.One;
        return Losses.Loss.Hinge(output, new Tensor<T>(signs, labels.Length, 1));
    }
}
