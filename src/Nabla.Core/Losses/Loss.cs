using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// The loss functions, each one fused tensor op with its own backward (registered in <see cref="TensorOpTable"/>
/// and gradient-checked there). Every loss returns a 0-d tensor unless <see cref="Reduction.None"/> is asked for.
/// </summary>
public static class Loss
{
    /// <summary>Mean squared error, mean over all elements of (p − t)² (PyTorch's <c>mse_loss</c>); p and t have one shape.</summary>
    public static Tensor<T> Mse<T>(Tensor<T> prediction, Tensor<T> target, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Mse(prediction, target, reduction);

    /// <summary>Σ (p − t)² over all elements: the notebooks' least-squares loss <c>np.sum((out - y)**2)</c>.</summary>
    public static Tensor<T> SumOfSquares<T>(Tensor<T> prediction, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Mse(prediction, target, Reduction.Sum);

    /// <summary>Stable binary cross-entropy on logits: max(z, 0) − z·y + log(1 + e^(−|z|)); see <see cref="Tensor{T}.BinaryCrossEntropyWithLogits"/>.</summary>
    public static Tensor<T> BinaryCrossEntropyWithLogits<T>(Tensor<T> logits, Tensor<T> targets, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.BinaryCrossEntropyWithLogits(logits, targets, reduction);

    /// <summary>Softmax cross-entropy of logits [N, C] against N class indices, mean over the batch by default (= <c>F.cross_entropy</c>).</summary>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, ReadOnlySpan<int> labels, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.CrossEntropy(logits, labels, reduction);

    /// <summary>Softmax cross-entropy of logits [N, C] against the class indices in <paramref name="labels"/> (N of them, e.g. a batch's <c>TargetIndices</c>).</summary>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, IndexTensor labels, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Tensor<T>.CrossEntropy(logits, labels.AsReadOnlySpan(), reduction);
    }

    /// <summary>Softmax cross-entropy with the class indices as the integer values of a 1-d tensor.</summary>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, Tensor<T> labels, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.CrossEntropy(logits, labels, reduction);

    /// <summary>micrograd's max-margin loss: max(0, 1 − y·s) for labels y = ±1, mean by default.</summary>
    public static Tensor<T> Hinge<T>(Tensor<T> scores, Tensor<T> labels, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Hinge(scores, labels, reduction);
}
