using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Code the trainer runs after every epoch, in the order the callbacks were added. A callback may call
/// <see cref="Trainer{T}.Stop"/> to end the run after this epoch.
/// </summary>
public interface ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Called once the epoch's metrics (including validation) are known and added to the history.</summary>
    void OnEpochEnd(Trainer<T> trainer, EpochMetrics metrics);
}

/// <summary>
/// A callback whose state must survive a checkpoint (for example the best weights kept so far): the trainer writes
/// its tensors and text into the checkpoint and hands them back on resume.
/// </summary>
public interface ICheckpointedCallback<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A short name, unique among the trainer's callbacks, that prefixes this callback's entries.</summary>
    string Key { get; }

    /// <summary>The state to store: named tensors (copies) and one line of text.</summary>
    (IReadOnlyDictionary<string, Tensor<T>> Tensors, string Text) SaveState();

    /// <summary>Restores what <see cref="SaveState"/> stored; throws a <see cref="NablaException"/> when it does not fit.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor<T>> tensors, string text);
}

/// <summary>Runs a delegate after every epoch (progress displays, logging).</summary>
public sealed class EpochEnd<T>(Action<Trainer<T>, EpochMetrics> action) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public void OnEpochEnd(Trainer<T> trainer, EpochMetrics metrics) => action(trainer, metrics);
}

/// <summary>Writes a checkpoint every <paramref name="every"/> epochs to <paramref name="path"/>, atomically.</summary>
public sealed class PeriodicCheckpoint<T>(string path, int every) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>Epochs between checkpoints (at least 1).</summary>
    public int Every { get; } = every > 0 ? every : throw new NablaException($"a checkpoint interval must be at least 1 epoch, got {every}");

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer<T> trainer, EpochMetrics metrics)
    {
        if (metrics.Epoch % Every == 0) trainer.SaveCheckpoint(Path);
    }
}
