using System.Text.Json.Serialization;
using Nabla.Training;

namespace Nabla.Records;

/// <summary>
/// What a training run leaves behind for its report: the settings, the metrics of every epoch, the network's
/// parameters (and their gradients) at recorded epochs, and, for two inputs, the model's output over a grid
/// of the input plane with the data points. Stored as <c>run.json</c> (<c>"format": "nabla-run", "version": 1</c>);
/// <see cref="Load"/> validates every shape against <see cref="RunSettings.Layers"/> before the record is used.
/// </summary>
public sealed partial record RunRecord
{
    /// <summary>The value of <see cref="Format"/> in every run file.</summary>
    public const string FormatName = "nabla-run";

    /// <summary>The only <see cref="Version"/> this library reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Always <see cref="CurrentVersion"/>.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>How the run was set up.</summary>
    public required RunSettings Settings { get; init; }

    /// <summary>Whether the network classifies or regresses; decides which metrics and colour scales the report uses.</summary>
    public required RunTask Task { get; init; }

    /// <summary>The number of classes of a classifier (at least 2); null for a regression.</summary>
    public int? Classes { get; init; }

    /// <summary>One row per finished epoch, in increasing epoch order.</summary>
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }

    /// <summary>The parameters at the recorded epochs (at least one), in increasing epoch order.</summary>
    public required IReadOnlyList<RunSnapshot> Snapshots { get; init; }

    /// <summary>The data points, for networks with exactly two inputs; null otherwise.</summary>
    public DataPoints? Points { get; init; }

    /// <summary>The metrics after the last epoch.</summary>
    public required FinalMetrics Final { get; init; }

    /// <summary>
    /// The epoch whose weights the trained model keeps when training kept its best epoch (early stopping on the
    /// validation loss), counted from 1; null when the model holds the last epoch's weights.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? BestEpoch { get; init; }

    /// <summary>Why training ended before <see cref="RunSettings.Epochs"/> (early stopping), in one line; null when it ran them all.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopReason { get; init; }
}

/// <summary>Whether a run trains a classifier or a regression.</summary>
public enum RunTask
{
    /// <summary>Targets are class labels 0 … classes − 1; accuracy is recorded.</summary>
    Classification,

    /// <summary>Targets are real values; accuracy is null.</summary>
    Regression,
}

/// <summary>The settings of a run, shown in the report's settings table.</summary>
public sealed record RunSettings
{
    /// <summary>A human description of the data, e.g. "moons (200 samples, noise 0.1)".</summary>
    public required string Data { get; init; }

    /// <summary>The input names; as many as <c>Layers[0]</c>.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The output names; as many as <c>Layers[^1]</c>.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>Neurons per layer, inputs first and outputs last, e.g. [2, 16, 16, 1]; at least two layers.</summary>
    public required IReadOnlyList<int> Layers { get; init; }

    /// <summary>The hidden layers' activation, e.g. "relu".</summary>
    public required string Activation { get; init; }

    /// <summary>The loss, e.g. "bce" or "mse".</summary>
    public required string Loss { get; init; }

    /// <summary>The optimizer, e.g. "adam".</summary>
    public required string Optimizer { get; init; }

    /// <summary>The optimizer's learning rate.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The number of epochs asked for (the run may have recorded fewer).</summary>
    public required int Epochs { get; init; }

    /// <summary>Samples per mini-batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The random seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The fraction of the samples held out for validation, 0 for none.</summary>
    public required double Validation { get; init; }

    /// <summary>
    /// The network's <see cref="Nn.Architecture"/> description when it is not a plain MLP; <see cref="Layers"/> then
    /// lists the sizes of its chain of linear layers (the part the diagram draws) and the snapshots' filters hold
    /// its convolutions. Null (and absent from the file) for an MLP.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Architecture { get; init; }

    /// <summary>The global gradient norm every step was clipped to; null (and absent from the file) without clipping.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? ClipGrad { get; init; }

    /// <summary>Optimizer steps of linear learning-rate warm-up; null (and absent from the file) without one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Warmup { get; init; }
}

/// <summary>The metrics after the last epoch, shown in the report's results table.</summary>
public sealed record FinalMetrics
{
    /// <summary>The final training loss.</summary>
    public required double Loss { get; init; }

    /// <summary>The final validation loss, or null without a validation set.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The final training accuracy, or null for a regression.</summary>
    public double? Accuracy { get; init; }

    /// <summary>The final validation accuracy, or null.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Which rows <see cref="Regression"/> and <see cref="Classification"/> were measured on: "validation", or "training" without a validation set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScoredOn { get; init; }

    /// <summary>A regression's errors in the target's own units, of the trained model; null for a classifier or an older run file.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RegressionScores? Regression { get; init; }

    /// <summary>A classifier's confusion matrix and per-class precision and recall, of the trained model; null for a regression or an older run file.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClassificationScores? Classification { get; init; }

    /// <summary>A regression's predicted against actual values on the scored rows, for the report's plot of the fit; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RegressionFit? Fit { get; init; }
}

/// <summary>
/// A regression model's predictions beside the actual targets, both in the target's own units, one pair per row of
/// the rows <see cref="FinalMetrics.ScoredOn"/> names (evenly thinned to at most <see cref="MaxRows"/> rows, in row order).
/// </summary>
public sealed record RegressionFit
{
    /// <summary>The most rows a run record keeps for the plot.</summary>
    public const int MaxRows = 600;

    /// <summary>The actual target of each row.</summary>
    public required IReadOnlyList<double> Actual { get; init; }

    /// <summary>The model's prediction for each row, in the same order.</summary>
    public required IReadOnlyList<double> Predicted { get; init; }
}

/// <summary>A regression's errors in the target's own units (not standardised).</summary>
public sealed record RegressionScores
{
    /// <summary>The mean squared error.</summary>
    public required double Mse { get; init; }

    /// <summary>The root mean squared error, in the target's units.</summary>
    public required double Rmse { get; init; }

    /// <summary>The mean absolute error, in the target's units.</summary>
    public required double Mae { get; init; }

    /// <summary>The coefficient of determination 1 − SSE/SST; null when the target does not vary.</summary>
    public double? R2 { get; init; }
}

/// <summary>A classifier's results per class.</summary>
public sealed record ClassificationScores
{
    /// <summary>The class labels, in class-index order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>The fraction of rows classified correctly.</summary>
    public required double Accuracy { get; init; }

    /// <summary><c>Confusion[actual][predicted]</c>: how many rows of class <c>actual</c> were predicted as <c>predicted</c>.</summary>
    public required IReadOnlyList<IReadOnlyList<long>> Confusion { get; init; }

    /// <summary>Per class: of the rows predicted as it, the fraction that are it; null when none was predicted as it.</summary>
    public required IReadOnlyList<double?> Precision { get; init; }

    /// <summary>Per class: of its rows, the fraction predicted as it; null when it has no rows.</summary>
    public required IReadOnlyList<double?> Recall { get; init; }
}
