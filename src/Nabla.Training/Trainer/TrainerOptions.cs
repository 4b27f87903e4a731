using Nabla.Optim;

namespace Nabla.Training;

/// <summary>When a <see cref="Trainer{T}"/> steps its <see cref="TrainerOptions.Scheduler"/>.</summary>
public enum SchedulerInterval
{
    /// <summary>Once at the end of every epoch, after the validation metrics (ReduceLROnPlateau gets the validation loss, or the training loss without validation rows).</summary>
    Epoch,

    /// <summary>After every optimizer step.</summary>
    Batch,
}

/// <summary>How long and in what steps a <see cref="Trainer{T}"/> trains.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training samples (at least 1).</summary>
    public int Epochs { get; init => field = value > 0 ? value : throw new NablaException($"the number of epochs must be at least 1, got {value}"); } = 100;

    /// <summary>Samples per optimizer step (at least 1); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init => field = value > 0 ? value : throw new NablaException($"the batch size must be at least 1, got {value}"); } = 32;

    /// <summary>Samples per forward pass when evaluating (no gradients), which bounds evaluation's memory.</summary>
    public int EvaluationBatchSize { get; init => field = value > 0 ? value : throw new NablaException($"the evaluation batch size must be at least 1, got {value}"); } = 4096;

    /// <summary>
    /// A caller's description of everything else that decides the run (hyper-parameters the trainer cannot see, such
    /// as an optimizer's momentum); stored in checkpoints, so a resume with another one is refused. Null for none.
    /// </summary>
    public string? RunIdentity { get; init; }

    /// <summary>
    /// Builds the learning-rate scheduler from the trainer's optimizer (e.g. <c>o =&gt; new CosineAnnealingLR(o, 100)</c>);
    /// the trainer calls it once, in its constructor, and steps the scheduler every <see cref="SchedulerStep"/>. Null for
    /// none. Its state is saved in checkpoints. Not together with the trainer's <c>schedule</c> argument.
    /// </summary>
    public Func<Optimizer, LearningRateScheduler>? Scheduler { get; init; }

    /// <summary>Whether <see cref="Scheduler"/> steps once per epoch (the default) or once per optimizer step.</summary>
    public SchedulerInterval SchedulerStep { get; init; } = SchedulerInterval.Epoch;

    /// <summary>
    /// Before every optimizer step, clip the gradients' global 2-norm to this value with
    /// <see cref="GradClip.ClipGradNorm{T}"/> (in a data-parallel run after the gradients are summed over the ranks).
    /// Null for no clipping; otherwise finite and &gt; 0.
    /// </summary>
    public double? ClipGradNorm
    {
        get;
        init => field = value is not { } v || (v > 0 && double.IsFinite(v)) ? value
            : throw new NablaException($"the gradient clipping norm must be a finite number > 0, got {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}
