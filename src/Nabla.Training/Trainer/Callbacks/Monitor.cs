
namespace Nabla.Training.Callbacks;

/// <summary>
/// Which number of an epoch's metrics a callback watches, and which way is better. The built-in ones are
/// <see cref="ValidationLoss"/>, <see cref="ValidationAccuracy"/> and <see cref="TrainingLoss"/>.
/// </summary>
/// <param name="Name">How messages name it, e.g. "validation loss".</param>
/// <param name="Read">The value in one epoch's metrics, or null where the epoch has none.</param>
/// <param name="HigherIsBetter">True for accuracies, false for losses.</param>
public sealed record Monitor(string Name, Func<EpochMetrics, double?> Read, bool HigherIsBetter = false)
{
    /// <summary>The loss on the validation samples (lower is better).</summary>
    public static Monitor ValidationLoss { get; } = new("validation loss", m => m.ValidationLoss);

    /// <summary>The accuracy on the validation samples (higher is better).</summary>
    public static Monitor ValidationAccuracy { get; } = new("validation accuracy", m => m.ValidationAccuracy, HigherIsBetter: true);

    /// <summary>The mean training loss of the epoch (lower is better).</summary>
    public static Monitor TrainingLoss { get; } = new("training loss", m => m.Loss);

    /// <summary>The value in <paramref name="metrics"/>, or an error saying the run does not measure it.</summary>
    public double ValueIn(EpochMetrics metrics) => Read(metrics)
        ?? throw new NablaException($"nothing to watch: epoch {metrics.Epoch} has no {Name} (a validation metric needs validation samples)");

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>; NaN never does.</summary>
    public bool Improves(double value, double best, double minDelta) =>
        HigherIsBetter ? value > best + minDelta : value < best - minDelta;
}

/// <summary>The best epoch of a history by a <see cref="Monitor"/>, kept up to date one epoch at a time.</summary>
internal sealed class BestEpochTracker(Monitor monitor, double minDelta)
{
    private int _seen;

    public int BestEpoch { get; private set; }

    public double BestValue { get; private set; }

    /// <summary>Brings the tracker up to the end of <paramref name="history"/>; true when its last epoch is the new best.</summary>
    public bool Update(IReadOnlyList<EpochMetrics> history)
    {
        if (_seen > history.Count) (_seen, BestEpoch) = (0, 0);   // a shorter history: another run, start again
        bool lastIsBest = false;
        for (; _seen < history.Count; _seen++)
        {
            double value = monitor.ValueIn(history[_seen]);
            lastIsBest = BestEpoch == 0 ? !double.IsNaN(value) : monitor.Improves(value, BestValue, minDelta);
            if (lastIsBest) (BestEpoch, BestValue) = (history[_seen].Epoch, value);
        }
        return lastIsBest;
    }
}
