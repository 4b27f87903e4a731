using System.Globalization;
using System.Numerics;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Stops the run when the watched metric (the validation loss unless told otherwise) has not improved by more
/// than <c>minDelta</c> for <c>patience</c> epochs in a row, as Keras's <c>EarlyStopping</c> does. Its state is
/// recomputed from the trainer's history, so it carries over a resumed checkpoint unchanged.
/// </summary>
public sealed class EarlyStopping<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BestEpochTracker _best;

    /// <summary>Watches <paramref name="monitor"/> (default: the validation loss) with the given patience (at least 1).</summary>
    public EarlyStopping(int patience, Monitor? monitor = null, double minDelta = 0)
    {
        if (patience < 1) throw new NablaException($"early stopping needs a patience of at least 1 epoch, got {patience}");
        if (!(minDelta >= 0) || !double.IsFinite(minDelta)) throw new NablaException($"early stopping needs a finite minimum improvement ≥ 0, got {minDelta}");
        Patience = patience;
        Monitor = monitor ?? Monitor.ValidationLoss;
        _best = new BestEpochTracker(Monitor, minDelta);
    }

    /// <summary>Epochs without improvement that end the run.</summary>
    public int Patience { get; }

    /// <summary>The watched metric.</summary>
    public Monitor Monitor { get; }

    /// <summary>The best epoch so far (0 before the first).</summary>
    public int BestEpoch => _best.BestEpoch;

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer<T> trainer, EpochMetrics metrics)
    {
        _best.Update(trainer.History);
        if (_best.BestEpoch > 0 && metrics.Epoch - _best.BestEpoch >= Patience)
            trainer.Stop($"stopped early after epoch {metrics.Epoch}: the {Monitor.Name} has not improved for {Patience} epochs " +
                $"(best {_best.BestValue.ToString("G6", CultureInfo.InvariantCulture)} at epoch {_best.BestEpoch})");
    }
}
