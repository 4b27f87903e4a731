using System.Globalization;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Keeps a copy of the model's parameters from the epoch with the best watched metric (the validation loss unless
/// told otherwise); <see cref="RestoreBest"/> puts them back, so a run that overfits still ends with its best
/// weights. The copy is written into checkpoints, so a resumed run keeps the best epoch from before the interruption.
/// </summary>
public sealed class KeepBest<T>(Monitor? monitor = null) : ICheckpointedCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BestEpochTracker _best = new(monitor ?? Monitor.ValidationLoss, 0);
    private T[][]? _weights;
    private int _loadedBest;

    /// <summary>The watched metric.</summary>
    public Monitor Monitor { get; } = monitor ?? Monitor.ValidationLoss;

    /// <summary>The epoch whose parameters are kept (0 before the first epoch).</summary>
    public int BestEpoch => _best.BestEpoch > 0 ? _best.BestEpoch : _loadedBest;

    /// <inheritdoc/>
    public string Key => "best";

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer<T> trainer, EpochMetrics metrics)
    {
        if (!_best.Update(trainer.History)) return;
        var parameters = trainer.Optimizer.Parameters;
        _weights ??= [.. parameters.Select(p => new T[p.ElementCount])];
        for (int i = 0; i < parameters.Count; i++) parameters[i].AsReadOnlySpan().CopyTo(_weights[i]);
    }

    /// <summary>Copies the kept parameters back into the model; false (and nothing changed) when none were kept.</summary>
    public bool RestoreBest(Trainer<T> trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_weights is null) return false;
        var parameters = trainer.Optimizer.Parameters;
        using (NoGrad.Scope())
            for (int i = 0; i < parameters.Count; i++) parameters[i].CopyFrom(new Tensor<T>(_weights[i], [.. parameters[i].Shape]));
        return true;
    }

    /// <inheritdoc/>
    public (IReadOnlyDictionary<string, Tensor<T>> Tensors, string Text) SaveState()
    {
        var tensors = new Dictionary<string, Tensor<T>>();
        if (_weights is not null)
            for (int i = 0; i < _weights.Length; i++) tensors[i.ToString(CultureInfo.InvariantCulture)] = new Tensor<T>((T[])_weights[i].Clone(), _weights[i].Length);
        return (tensors, _best.BestEpoch.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public void LoadState(IReadOnlyDictionary<string, Tensor<T>> tensors, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _loadedBest))
            throw new NablaException($"the kept best epoch \"{text}\" is not a whole number");
        _weights = tensors.Count == 0 ? null
            : [.. Enumerable.Range(0, tensors.Count).Select(i => tensors.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var t) ? t.ToArray()
                : throw new NablaException($"the kept best weights have no tensor {i}"))];
    }
}
