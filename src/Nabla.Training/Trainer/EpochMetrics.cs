namespace Nabla.Training;

/// <summary>The metrics of one epoch. Validation values are null without a validation set; accuracies are null for a regression.</summary>
public sealed record EpochMetrics
{
    /// <summary>The epoch, counted from 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>The mean training loss over the epoch.</summary>
    public required double Loss { get; init; }

    /// <summary>The loss on the validation set after the epoch, or null.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The fraction of training samples classified correctly, or null.</summary>
    public double? Accuracy { get; init; }

    /// <summary>The fraction of validation samples classified correctly, or null.</summary>
    public double? ValidationAccuracy { get; init; }
}
