using System.Globalization;
using System.Text.Json;

using Nabla.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>
/// Everything <c>nabla train</c>'s flags decide about a run, by name; <see cref="TrainSetup{T}"/> turns them into the
/// library's objects. Two runs with equal settings on equal data produce bit-identical weights, which is what lets
/// a checkpoint resume a run exactly.
/// </summary>
public sealed record TrainSettings
{
    /// <summary>The allowed hidden-layer activations.</summary>
    public static readonly string[] Activations = ["relu", "tanh", "sigmoid", "sin"];
    /// <summary>The allowed losses.</summary>
    public static readonly string[] Losses = ["mse", "bce", "ce", "hinge"];
    /// <summary>The allowed optimizers.</summary>
    public static readonly string[] Optimizers = ["sgd", "adam", "adamw"];
    /// <summary>The allowed learning-rate schedules.</summary>
    public static readonly string[] Schedules = ["constant", "step", "linear", "cosine"];
    /// <summary>The allowed precisions.</summary>
    public static readonly string[] DTypes = ["float32", "float64"];

    /// <summary>Hidden layer sizes, input side first (the input and output sizes come from the data).</summary>
    public int[] Hidden { get; init => field = value.Length > 0 && value.All(h => h > 0) ? value : throw Bad("--hidden", "a list of positive layer sizes such as 16,16", string.Join(",", value)); } = [16, 16];

    /// <summary>
    /// The network as an <see cref="Nn.Architecture"/> description ("conv 6 5, relu, maxpool 2, flatten, linear 10"),
    /// or null for an MLP of <see cref="Hidden"/> and <see cref="Activation"/>.
    /// </summary>
    public string? Layers { get; init; }

    /// <summary>The hidden layers' activation.</summary>
    public string Activation { get; init => field = OneOf("--activation", value, Activations); } = "relu";

    /// <summary>The loss; null picks one from the task (ce or bce for classes, mse for values).</summary>
    public string? Loss { get; init => field = value is null ? null : OneOf("--loss", value, Losses); }

    /// <summary>The optimizer.</summary>
    public string Optimizer { get; init => field = OneOf("--optimizer", value, Optimizers); } = "adam";

    /// <summary>The (initial) learning rate.</summary>
    public double LearningRate { get; init => field = value > 0 && double.IsFinite(value) ? value : throw Bad("--lr", "a positive number", value); } = 0.01;

    /// <summary>SGD's momentum (0 for plain SGD).</summary>
    public double Momentum { get; init => field = value >= 0 && value < 1 ? value : throw Bad("--momentum", "a number in [0, 1)", value); } = 0.9;

    /// <summary>Weight decay (L2 for sgd and adam, decoupled for adamw).</summary>
    public double WeightDecay { get; init => field = value >= 0 && double.IsFinite(value) ? value : throw Bad("--weight-decay", "a number ≥ 0", value); }

    /// <summary>The learning-rate schedule.</summary>
    public string Schedule { get; init => field = OneOf("--schedule", value, Schedules); } = "constant";

    /// <summary>Clip the gradients' global 2-norm to this before every optimizer step; null: no clipping.</summary>
    public double? ClipGrad { get; init => field = value is null or (> 0 and < double.PositiveInfinity) ? value : throw Bad("--clip-grad", "a positive number", value!); }

    /// <summary>Optimizer steps of linear learning-rate warm-up before the schedule alone sets the rate; null: none.</summary>
    public int? Warmup { get; init => field = value is null or > 0 ? value : throw Bad("--warmup", "a positive whole number of steps", value!); }

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init => field = value > 0 ? value : throw Bad("--epochs", "a positive whole number", value); } = 100;

    /// <summary>Rows per optimizer step.</summary>
    public int BatchSize { get; init => field = value > 0 ? value : throw Bad("--batch-size", "a positive whole number", value); } = 32;

    /// <summary>The seed of the generator behind the split, the initial weights and the shuffles.</summary>
    public uint Seed { get; init; }

    /// <summary>The fraction of rows held out for validation, in [0, 1).</summary>
    public double Validation { get; init => field = value >= 0 && value < 1 ? value : throw Bad("--validation", "a fraction in [0, 1)", value); } = 0.2;

    /// <summary>The precision.</summary>
    public string DType { get; init => field = OneOf("--dtype", value, DTypes); } = "float64";

    /// <summary>The task asked for with --task; null decides it from the target.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>Epochs without a better validation loss that stop the run (keeping the best epoch's weights); null: never stop early.</summary>
    public int? EarlyStopping { get; init => field = value is null or > 0 ? value : throw Bad("--early-stopping", "a whole number of epochs ≥ 1", value); }

    private static string OneOf(string option, string value, string[] allowed) =>
        allowed.Contains(value) ? value : throw new NablaException($"{option}: '{value}' is not one of {string.Join(", ", allowed)}");

    private static NablaException Bad(string option, string expected, object value) =>
        new($"{option}: expected {expected}, not {Convert.ToString(value, CultureInfo.InvariantCulture)}");

    /// <summary>The loss this run uses on <paramref name="data"/>, checked against its task.</summary>
    public string LossFor(LabeledTable data)
    {
        string loss = Loss ?? (data.Task == TaskKind.Regression ? "mse" : data.Classes.Count == 2 ? "bce" : "ce");
        if (data.Task == TaskKind.Regression && loss != "mse")
            throw new NablaException($"--loss {loss} needs class labels, but the target is a value to regress ({data.TaskReason}); drop --loss, or give --task classify to treat its values as classes");
        if (data.Task == TaskKind.Classification && loss == "mse")
            throw new NablaException($"--loss mse needs a numeric target, but the target is a classification ({data.TaskReason}); use --loss ce, bce or hinge, or --task regress for numbers");
        if (loss is "bce" or "hinge" && data.Classes.Count != 2)
            throw new NablaException($"--loss {loss} needs exactly 2 classes, but '{data.TargetName}' has {data.Classes.Count}: {string.Join(", ", data.Classes.Take(10))} (use --loss ce)");
        if (data.Task == TaskKind.Classification && data.Classes.Count < 2)
            throw new NablaException($"the target '{data.TargetName}' has only one class; a classifier needs at least 2");
        return loss;
    }

    /// <summary>Layer sizes from input to output for <paramref name="data"/>.</summary>
    public int[] LayerSizes(LabeledTable data) =>
        [data.Features.Columns, .. Hidden, LossFor(data) == "ce" ? data.Classes.Count : 1];

    /// <summary>A canonical text of the settings, stored in checkpoints so a resume can refuse different ones.</summary>
    public string Fingerprint(LabeledTable data)
    {
        // Written field by field (no reflection, so it works in a Native AOT binary); the text is what serializing
        // an object with these properties in this order gives.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("hidden");
            foreach (int h in Hidden) json.WriteNumberValue(h);
            json.WriteEndArray();
            json.WriteString("activation", Activation);
            json.WriteString("loss", LossFor(data));
            json.WriteString("optimizer", Optimizer);
            json.WriteNumber("lr", LearningRate);
            json.WriteNumber("momentum", Momentum);
            json.WriteNumber("weightDecay", WeightDecay);
            json.WriteString("schedule", Schedule);
            json.WriteNumber("epochs", Epochs);
            json.WriteNumber("batchSize", BatchSize);
            json.WriteNumber("seed", Seed);
            json.WriteNumber("validation", Validation);
            json.WriteString("dtype", DType);
            if (Layers is not null) json.WriteString("layers", Layers);
            json.WriteString("data", data.Description);
            json.WriteNumber("rows", data.Rows);
            json.WriteString("contents", data.ContentHash().ToString("x16", CultureInfo.InvariantCulture));
            if (EarlyStopping is { } patience) json.WriteNumber("earlyStopping", patience);
            else json.WriteNull("earlyStopping");
            json.WriteString("task", Task?.ToString());   // null writes null
            // Written only when given, so the fingerprint of a run without them (and its checkpoints) is unchanged.
            if (ClipGrad is { } clip) json.WriteNumber("clipGrad", clip);
            if (Warmup is { } warmup) json.WriteNumber("warmup", warmup);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
