using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Training.Metrics;

/// <summary>
/// Something measured over batches of network output: <see cref="Trainer{T}.Evaluate"/> resets it, adds every
/// batch of the rows it evaluates, and the caller reads the result from the metric object.
/// </summary>
public interface IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Forgets what was added.</summary>
    void Reset();

    /// <summary>Adds one batch: the network's <paramref name="output"/> [rows, outputs] for <paramref name="batch"/>.</summary>
    void Add(Tensor<T> output, Batch<T> batch);
}

/// <summary>Accuracy, per-class precision and recall, and the confusion matrix of a classifier, its class read as the loss reads it.</summary>
public sealed class ClassificationMetric<T>(TrainingLoss<T> loss, int classes) : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The counts so far.</summary>
    public ConfusionMatrix Matrix { get; } = new(classes);

    /// <inheritdoc/>
    public void Reset() => Matrix.Clear();

    /// <inheritdoc/>
    public void Add(Tensor<T> output, Batch<T> batch)
    {
        var labels = batch.Labels ?? throw new NablaException("a classification metric needs class labels, but the batch has none");
        var values = output.IsContiguous ? output.AsReadOnlySpan() : output.ToArray();
        int k = values.Length / labels.Length;
        for (int r = 0; r < labels.Length; r++) Matrix.Add(labels[r], loss.PredictedClass(values.Slice(r * k, k)));
    }
}

/// <summary>
/// MSE, RMSE, MAE and R² of a one-output regression in the target's own units: the network's output and the batch's
/// targets are both mapped through <paramref name="scale"/> (undoing the target's standardisation) before comparing.
/// </summary>
public sealed class RegressionMetric<T>(TargetScale scale) : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The sums so far.</summary>
    public RegressionErrors Errors { get; } = new();

    /// <inheritdoc/>
    public void Reset() => Errors.Clear();

    /// <inheritdoc/>
    public void Add(Tensor<T> output, Batch<T> batch)
    {
        var predicted = output.IsContiguous ? output.AsReadOnlySpan() : output.ToArray();
        var actual = batch.Targets.IsContiguous ? batch.Targets.AsReadOnlySpan() : batch.Targets.ToArray();
        if (predicted.Length != actual.Length)
            throw new NablaException($"a regression metric needs one output per sample, got {predicted.Length} outputs for {actual.Length} samples");
        for (int r = 0; r < actual.Length; r++)
            Errors.Add(scale.ToTarget(double.CreateChecked(actual[r])), scale.ToTarget(double.CreateChecked(predicted[r])));
    }
}

/// <summary>
/// How standardised targets map back to the target's units: value = standardised · <paramref name="Std"/> +
/// <paramref name="Mean"/>. <see cref="Identity"/> for targets that were not standardised.
/// </summary>
public readonly record struct TargetScale(double Mean, double Std)
{
    /// <summary>No scaling (mean 0, standard deviation 1).</summary>
    public static TargetScale Identity => new(0, 1);

    /// <summary>A standardised value in the target's units.</summary>
    public double ToTarget(double standardised) => standardised * Std + Mean;

    /// <summary>A value in the target's units, standardised.</summary>
    public double FromTarget(double value) => (value - Mean) / Std;
}
