namespace Nabla.Training;

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
}
