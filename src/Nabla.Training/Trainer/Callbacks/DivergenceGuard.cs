using System.Globalization;
using System.Numerics;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Ends a run that has blown up: when an epoch's training loss is more than <c>factor</c> times the loss of the
/// run's first batch (orders of magnitude, where ordinary noise is a few percent), it throws a
/// <see cref="TrainingDivergedException"/>. The trainer itself already throws on a loss that is not finite.
/// </summary>
public sealed class DivergenceGuard<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Watches for growth by more than <paramref name="factor"/> (default 10⁴; must exceed 1).</summary>
    public DivergenceGuard(double factor = 1e4)
    {
        if (!(factor > 1) || !double.IsFinite(factor)) throw new NablaException($"a divergence factor must be a finite number above 1, got {factor}");
        Factor = factor;
    }

    /// <summary>The growth over the first batch's loss that counts as divergence.</summary>
    public double Factor { get; }

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer<T> trainer, EpochMetrics metrics)
    {
        double reference = trainer.InitialLoss;
        if (metrics.ValidationLoss is { } v && !double.IsFinite(v))
            throw new TrainingDivergedException(metrics.Epoch, v, trainer.Optimizer.LearningRate, "validation loss");
        if (double.IsFinite(reference) && reference > 0 && metrics.Loss > Factor * reference)
            throw new TrainingDivergedException(metrics.Epoch, metrics.Loss, trainer.Optimizer.LearningRate, "training loss",
                $"{(metrics.Loss / reference).ToString("G2", CultureInfo.InvariantCulture)} times the first batch's {reference.ToString("G4", CultureInfo.InvariantCulture)}");
    }
}

/// <summary>Training stopped because the loss became non-finite or grew by orders of magnitude.</summary>
public sealed class TrainingDivergedException : NablaException
{
    /// <summary>Describes the divergence in one line: which loss, its value, the epoch and the learning rate.</summary>
    public TrainingDivergedException(int epoch, double loss, double learningRate, string what = "training loss", string? detail = null)
        : base($"training diverged: the {what} became {loss.ToString("G4", CultureInfo.InvariantCulture)} at epoch {epoch}" +
            (detail is null ? "" : $" ({detail})") + $"; the learning rate {learningRate.ToString(CultureInfo.InvariantCulture)} is probably too large")
    {
        Epoch = epoch;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The epoch (counted from 1) in which it happened.</summary>
    public int Epoch { get; }

    /// <summary>The loss value that showed it.</summary>
    public double Loss { get; }

    /// <summary>The learning rate at the time.</summary>
    public double LearningRate { get; }
}
